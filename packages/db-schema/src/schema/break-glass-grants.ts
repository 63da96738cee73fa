import { sql } from 'drizzle-orm';
import { boolean, check, index, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from './tenants';
import { users } from './users';
import { createdAt } from './util/columns';
import { platformTable } from './util/platform-table';

/**
 * Break-glass: a platform admin's time-boxed access to one tenant's data, for support
 * (`@studio/tenancy/admin`, createBreakGlass). Written and read by the admin role only; the
 * tenant's own audit trail records each grant and each look. A grant is never extended: the
 * admin role may only set `revoked_at` (migration 0012), so access ends at `expires_at` or sooner.
 */
export const breakGlassGrants = platformTable(
  'break_glass_grants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    createdAt: createdAt(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** The platform admin who asked for access. */
    adminId: uuid('admin_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Why: shown to the tenant in its audit trail. */
    reason: text('reason').notNull(),
    /** Read-only unless the admin raised it explicitly. */
    allowWrites: boolean('allow_writes').notNull().default(false),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** Ended early by the admin. */
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  {
    reason: "Platform staff's access to a tenant, granted by the admin console: the tenant's app role must neither see nor write it.",
    extra: (t) => [
      index('break_glass_grants_admin_tenant_idx').on(t.adminId, t.tenantId, t.expiresAt),
      index('break_glass_grants_expires_idx').on(t.expiresAt),
      check('break_glass_grants_reason_length', sql`char_length(${t.reason}) between 10 and 500`),
      check('break_glass_grants_expiry', sql`${t.expiresAt} > ${t.createdAt}`),
    ],
  },
);
