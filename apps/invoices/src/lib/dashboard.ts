import 'server-only';
import { customers, invoices } from '@studio/db-schema/schema';
import type { TenantDb } from '@studio/tenancy';
import { and, count, eq, gte, sql } from 'drizzle-orm';
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

export interface MonthTotal {
  /** First day of the month, YYYY-MM-01. */
  month: string;
  invoicedCents: number;
  paidCents: number;
}

/**
 * Invoiced (anything not void) and paid amounts per month of issue, the last `months` months, in
 * one currency (amounts in different currencies are never added up). Months without invoices are
 * there with zeros, so a chart's gaps are real.
 */
export function monthlyTotals(db: TenantDb, currency: string, months = 6): Promise<MonthTotal[]> {
  return cacheOf(db).wrap(
    ['dashboard', 'monthly', currency, String(months)],
    async () => {
      const rows = await db
        .select({
          month: sql<string>`to_char(date_trunc('month', ${invoices.issuedOn}), 'YYYY-MM-01')`,
          invoiced: sql<string>`coalesce(sum(${invoices.amountCents}) filter (where ${invoices.status} <> 'void'), 0)::text`,
          paid: sql<string>`coalesce(sum(${invoices.amountCents}) filter (where ${invoices.status} = 'paid'), 0)::text`,
        })
        .from(invoices)
        .where(and(eq(invoices.currency, currency), gte(invoices.issuedOn, sql`(date_trunc('month', current_date) - make_interval(months => ${months - 1}))::date`)))
        .groupBy(sql`1`);
      const byMonth = new Map(rows.map((r) => [r.month, r]));
      const now = new Date();
      return Array.from({ length: months }, (_, i) => {
        const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (months - 1 - i), 1));
        const month = d.toISOString().slice(0, 10);
        const row = byMonth.get(month);
        return { month, invoicedCents: Number(row?.invoiced ?? 0), paidCents: Number(row?.paid ?? 0) };
      });
    },
    totalsCache,
  );
}
