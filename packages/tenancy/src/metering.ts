/**
 * Usage metering: per-tenant counters of billable units, by metric and month. `meter(tx, ...)`
 * inside `tdb.transaction(fn)` rides with the COMMIT like an audit row, so a unit is counted if
 * and only if the action that used it committed, and only ever for the tenant of `tx`.
 */
import { usageCounters } from '@studio/db-schema/schema';
import { asc, eq } from 'drizzle-orm';
import { TenancyError } from './errors';
import { hooksOf, type TenantDb } from './scoped/tenant-db';

export class MeterError extends TenancyError {
  constructor(message: string) {
    super('METER_INVALID', message);
  }
}

const UPSERT =
  'insert into "usage_counters" ("tenant_id", "metric", "period", "quantity") ' +
  "values ($1, $2, (date_trunc('month', now() at time zone 'UTC'))::date, $3) " +
  'on conflict ("tenant_id", "metric", "period") do update set "quantity" = "usage_counters"."quantity" + excluded."quantity", "updated_at" = now()';

/** Counts `quantity` units of `metric` ('pdf.render', 'export.rows') for the tenant of `tx`. */
export async function meter(tx: TenantDb, metric: string, quantity = 1): Promise<void> {
  if (!/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/.test(metric) || metric.length > 100) {
    throw new MeterError(`Metric ${JSON.stringify(metric)} must look like 'pdf.render' (lowercase, dots between words).`);
  }
  if (!Number.isSafeInteger(quantity) || quantity <= 0) throw new MeterError(`Metered quantity must be a positive integer, got ${quantity}.`);
  const hooks = hooksOf(tx);
  const params = [tx.tenantId, metric, quantity];
  hooks.guard.check(UPSERT, params, tx.tenantId);
  if (hooks.defer) hooks.defer({ sql: UPSERT, params });
  else await hooks.run(UPSERT, params, 'execute');
}

export interface UsageLine {
  metric: string;
  /** First day of the month, YYYY-MM-DD. */
  period: string;
  quantity: number;
}

/** The tenant's usage, optionally for one month ('2026-11-01'). */
export async function usageOf(tdb: TenantDb, options: { period?: string } = {}): Promise<UsageLine[]> {
  const query = tdb
    .select({ metric: usageCounters.metric, period: usageCounters.period, quantity: usageCounters.quantity })
    .from(usageCounters);
  const rows = options.period ? await query.where(eq(usageCounters.period, options.period)).orderBy(asc(usageCounters.metric)) : await query.orderBy(asc(usageCounters.period), asc(usageCounters.metric));
  return rows;
}
