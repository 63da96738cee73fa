import { index, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from './tenants';
import { users } from './users';
import { timestamps } from './util/columns';
import { platformTable } from './util/platform-table';

/** Signed-in sessions (Better Auth's `session` model). The cookie carries a signed copy of `token`. */
export const sessions = platformTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    token: text('token').notNull().unique('sessions_token_key'),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    /**
     * The tenant the user last switched to (the organization plugin's activeOrganizationId).
     * Only a hint for the session resolver strategy: membership is checked on every request.
     */
    activeTenantId: uuid('active_tenant_id').references(() => tenants.id, { onDelete: 'set null' }),
    ...timestamps(),
  },
  {
    reason: 'A session belongs to a person, who may belong to several tenants; it is read before any tenant is known.',
    // The cookie carries a signed copy of the token: whoever reads it holds the session.
    secretColumns: ['token'],
    extra: (t) => [index('sessions_user_idx').on(t.userId)],
  },
);
