import { integer, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { platformTable } from './util/platform-table';
import { tenants } from './tenants';

/** Which tenants a backfill has finished (`pnpm studio db backfill <name>`), so a rerun resumes. */
export const backfillRuns = platformTable(
  'backfill_runs',
  {
    name: text('name').notNull(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    rows: integer('rows').notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }).notNull().defaultNow(),
  },
  {
    reason: 'Operator bookkeeping across tenants: which backfill finished where.',
    extra: (t) => [primaryKey({ name: 'backfill_runs_pkey', columns: [t.name, t.tenantId] })],
  },
);
