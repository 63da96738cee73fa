import { index, jsonb, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './util/columns';
import { platformTable } from './util/platform-table';

/**
 * The platform's own audit trail: what operators and the admin console did across tenants
 * (erase, move, cross-tenant reads, break-glass). Append-only like audit_events (migration 0009).
 * `tenant_id` has no foreign key on purpose: the event of a tenant's erase outlives the tenant.
 */
export const platformEvents = platformTable(
  'platform_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    createdAt: createdAt(),
    /** The platform admin who acted; null for an operator's CLI (see `payload.operator`). */
    actorId: uuid('actor_id'),
    action: text('action').notNull(),
    tenantId: uuid('tenant_id'),
    tenantSlug: text('tenant_slug'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
  },
  {
    reason: 'Events about tenants as a whole (an erase, a move) must outlive the tenant they concern.',
    extra: (t) => [index('platform_events_created_idx').on(t.createdAt), index('platform_events_tenant_idx').on(t.tenantId, t.createdAt)],
  },
);
