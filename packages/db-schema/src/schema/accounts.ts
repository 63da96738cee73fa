import { index, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users';
import { timestamps } from './util/columns';
import { platformTable } from './util/platform-table';

/** Credentials of a user (Better Auth's `account` model): the password hash for email sign-in. */
export const accounts = platformTable(
  'accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: text('account_id').notNull(),
    providerId: text('provider_id').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    idToken: text('id_token'),
    accessTokenExpiresAt: timestamp('access_token_expires_at', { withTimezone: true, mode: 'date' }),
    refreshTokenExpiresAt: timestamp('refresh_token_expires_at', { withTimezone: true, mode: 'date' }),
    scope: text('scope'),
    /** A scrypt hash written by Better Auth; never a password. */
    password: text('password'),
    ...timestamps(),
  },
  {
    reason: 'Credentials belong to a person, not to a tenant; they are checked before any tenant is known.',
    secretColumns: ['password', 'access_token', 'refresh_token', 'id_token'],
    extra: (t) => [index('accounts_user_idx').on(t.userId)],
  },
);
