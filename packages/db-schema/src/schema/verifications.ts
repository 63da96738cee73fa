import { index, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { timestamps } from './util/columns';
import { platformTable } from './util/platform-table';

/** One-time values (Better Auth's `verification` model): e-mail verification, password reset. */
export const verifications = platformTable(
  'verifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    identifier: text('identifier').notNull(),
    value: text('value').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    ...timestamps(),
  },
  {
    reason: 'Sign-in and e-mail flows of a person, before any tenant is known.',
    // A password reset keeps its token in the identifier (`reset-password:<token>`).
    secretColumns: ['identifier', 'value'],
    extra: (t) => [index('verifications_identifier_idx').on(t.identifier)],
  },
);
