import { index, pgEnum, unique, uuid } from 'drizzle-orm/pg-core';
import { tenants } from './tenants';
import { users } from './users';
import { timestamps } from './util/columns';
import { platformTable } from './util/platform-table';

/** What a user may do inside one tenant (C7). Platform admin is not one of these. */
export const membershipRole = pgEnum('membership_role', ['owner', 'admin', 'member']);

export const memberships = platformTable(
  'memberships',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: membershipRole('role').notNull().default('member'),
    ...timestamps(),
  },
  {
    reason:
      "Joins users to tenants; read across tenants to list a user's tenants (the tenant switcher) before any tenant is chosen.",
    extra: (t) => [unique('memberships_tenant_user_key').on(t.tenantId, t.userId), index('memberships_user_idx').on(t.userId)],
  },
);
