import { bigint, index, jsonb, text, unique, uuid } from 'drizzle-orm/pg-core';
import { tenantTable } from './util/tenant-table';

/**
 * The tenant's audit trail (C10). Append-only: the app role may INSERT and SELECT, nothing else,
 * and a trigger refuses UPDATE, DELETE and TRUNCATE for everyone. Each tenant's events form a
 * hash chain, filled in by the `audit_events_chain` trigger (migration 0004): `seq` counts the
 * tenant's events from 1, `hash` covers the row and `prev_hash`, the previous event's hash.
 */
export const auditEvents = tenantTable(
  'audit_events',
  {
    /** The user who acted; null for the system or an API token. No foreign key: the trail outlives the user. */
    actorId: uuid('actor_id'),
    action: text('action').notNull(),
    target: text('target'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    /** Set by the trigger (the default only satisfies the insert types). */
    seq: bigint('seq', { mode: 'number' }).notNull().default(0),
    prevHash: text('prev_hash'),
    hash: text('hash').notNull().default(''),
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
