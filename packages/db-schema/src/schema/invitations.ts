import { index, pgEnum, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { membershipRole } from './memberships';
import { tenants } from './tenants';
import { users } from './users';
import { createdAt } from './util/columns';
import { platformTable } from './util/platform-table';

export const invitationStatus = pgEnum('invitation_status', ['pending', 'accepted', 'rejected', 'canceled']);

/** An invitation to join a tenant (the organization plugin's `invitation` model). */
export const invitations = platformTable(
  'invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    role: membershipRole('role').notNull().default('member'),
    status: invitationStatus('status').notNull().default('pending'),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    inviterId: uuid('inviter_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  {
    reason: 'Read by the invitee, who is not yet a member of the tenant, to accept it.',
    // The id is the secret of the invite link.
    secretColumns: ['id'],
    extra: (t) => [index('invitations_tenant_idx').on(t.tenantId), index('invitations_email_idx').on(t.email)],
  },
);
