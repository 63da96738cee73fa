import 'server-only';
import { customers, invoices } from '@studio/db-schema/schema';
import type { TenantDb } from '@studio/tenancy';
import { count, sql } from 'drizzle-orm';
import { cacheOf, type CacheTag } from '~/cache';

export interface DashboardTotals {
  customers: number;
  /** Per status and currency: amounts in different currencies are never added up. */
  invoices: { status: string; currency: string; invoices: number; cents: string }[];
}

/**
 * The dashboard's totals in the tenant cache: a scan of all the tenant's invoices, computed once
 * a minute at most, or again after a write to invoices or customers (tablesChanged).
 */
export const totalsCache = { key: ['dashboard', 'totals'], tags: ['invoices', 'customers'] satisfies CacheTag[], ttlMs: 60_000 } as const;

export function dashboardTotals(db: TenantDb): Promise<DashboardTotals> {
  return cacheOf(db).wrap(
    totalsCache.key,
    async () => {
      const [totals, [customerCount]] = await Promise.all([
        db
          .select({ status: invoices.status, currency: invoices.currency, invoices: count(), cents: sql<string>`coalesce(sum(${invoices.amountCents}), 0)::text` })
          .from(invoices)
          .groupBy(invoices.status, invoices.currency)
          .orderBy(invoices.status, invoices.currency),
        db.select({ n: count() }).from(customers),
      ]);
      return { customers: customerCount?.n ?? 0, invoices: totals };
    },
    totalsCache,
  );
}
