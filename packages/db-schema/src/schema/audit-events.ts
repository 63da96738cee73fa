import { jsonb, text, uuid } from 'drizzle-orm/pg-core';
import { tenantTable } from './util/tenant-table';

/** The tenant's audit trail (C10). Append-only: the app role may INSERT and SELECT, nothing else. */
export const auditEvents = tenantTable(
  'audit_events',
  {
    /** The user who acted; null for the system. No foreign key: the trail outlives the user. */
    actorId: uuid('actor_id'),
    action: text('action').notNull(),
    target: text('target'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
  },
  { rls: true },
);
