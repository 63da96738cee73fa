import { bigint, date, text, unique } from 'drizzle-orm/pg-core';
import { updatedAt } from './util/columns';
import { tenantTable } from './util/tenant-table';

/**
 * Usage metering: how many billable units each tenant used of each metric, per month. Written
 * in the transaction of the action it counts (tenancy's meter()), so billing can never charge
 * one tenant for another's actions, nor for an action that rolled back.
 */
export const usageCounters = tenantTable(
  'usage_counters',
  {
    metric: text('metric').notNull(),
    /** First day of the month the units were used in (UTC). */
    period: date('period', { mode: 'string' }).notNull(),
    quantity: bigint('quantity', { mode: 'number' }).notNull().default(0),
    updatedAt: updatedAt(),
  },
  {
    rls: true,
    createdAtIndex: false,
    extra: (t) => [unique('usage_counters_tenant_metric_period_key').on(t.tenantId, t.metric, t.period)],
  },
);
