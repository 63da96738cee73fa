import { bigint, index, jsonb, text, unique, uuid } from 'drizzle-orm/pg-core';
import { tenantTable } from './util/tenant-table';

/**
 * The tenant's audit trail (C10). Append-only: the app role may INSERT (its own columns, never
 * the chain's) and SELECT, nothing else, and a trigger refuses UPDATE, DELETE and TRUNCATE for
 * everyone, bar the one-time sealing below. Each tenant's events form a hash chain, sealed
 * shortly after they commit by `studio_audit_seal()` (migration 0014): `seq` counts the tenant's
 * events from 1, `hash` covers the row and `prev_hash`, the previous event's hash. Until it is
 * sealed, an event has all three null.
 */
export const auditEvents = tenantTable(
  'audit_events',
  {
    /** The user who acted; null for the system or an API token. No foreign key: the trail outlives the user. */
    actorId: uuid('actor_id'),
    action: text('action').notNull(),
    target: text('target'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    /** Filled in by studio_audit_seal(); null until the event is sealed. */
    seq: bigint('seq', { mode: 'number' }),
    prevHash: text('prev_hash'),
    hash: text('hash'),
  },
  {
    rls: true,
    // (tenant_id, created_at, id) below serves the newest-first reads; one index less per event.
    createdAtIndex: false,
    extra: (t) => [
      unique('audit_events_tenant_seq_key').on(t.tenantId, t.seq),
      // Keyset pagination of the trail: (tenant_id, created_at, id).
      index('audit_events_tenant_created_id_idx').on(t.tenantId, t.createdAt, t.id),
    ],
  },
);
