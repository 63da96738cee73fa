import { invoices } from '@studio/db-schema/schema';
import { desc } from 'drizzle-orm';
import Link from 'next/link';
import { InvoiceTable } from '~/components/invoice-table';
import { WorkspaceLanding } from '@studio/ui';
import { buttonClass, Card, CardGrid, ColumnChart, EmptyState, KpiCard, PageHeader, UsageMeter } from '@studio/ui/components';
import { formatMoney, formatNumber } from '@studio/ui/format';
import { can } from '@studio/tenancy/request';
import { Shell } from '~/components/nav';
import { dashboardTotals, monthlyTotals } from '~/lib/dashboard';
import { requestLocale } from '~/lib/locale';
import { getDb, getTenancy, pageContext } from '~/product';
import { getQuotas } from '~/quotas';
import { env, tenantOrigin } from '~/env';

// Reads the database on every request.
export const dynamic = 'force-dynamic';

export default async function Home() {
  const tenant = await getTenancy().getTenant();
  if (!tenant) return <Landing />;
  const ctx = await pageContext('member', '/');
  // Independent reads, sent together: one wait, not four.
  const [rows, totals, locale, exportsUsed, pdfsUsed] = await Promise.all([
    ctx.db
      .select({ id: invoices.id, number: invoices.number, status: invoices.status, amountCents: invoices.amountCents, currency: invoices.currency })
      .from(invoices)
      .orderBy(desc(invoices.createdAt))
      .limit(8),
    // Totals per status and currency, from the tenant cache (stale after a write, see lib/dashboard.ts).
    dashboardTotals(ctx.db),
    requestLocale(ctx.tenant),
    getQuotas().usage(ctx, 'export'),
    getQuotas().usage(ctx, 'pdf'),
  ]);
  // The figures are in the currency most of the workspace's invoices use; others are listed under them.
  const byCurrency = new Map<string, number>();
  for (const t of totals.invoices) byCurrency.set(t.currency, (byCurrency.get(t.currency) ?? 0) + t.invoices);
  const currency = [...byCurrency.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'USD';
  const sum = (status: string) => totals.invoices.filter((t) => t.status === status && t.currency === currency).reduce((n, t) => n + Number(t.cents), 0);
  const countOf = (status: string) => totals.invoices.filter((t) => t.status === status).reduce((n, t) => n + t.invoices, 0);
  const months = await monthlyTotals(ctx.db, currency);
  const monthLabel = new Intl.DateTimeFormat(locale, { month: 'short', year: '2-digit', timeZone: 'UTC' });
  const writes = can(ctx, 'invoices:write');
  return (
    <Shell ctx={ctx}>
      <PageHeader
        title={<span data-testid="tenant-name">{ctx.tenant.name}</span>}
        description={
          <>
            Signed in as <span data-testid="user-email">{ctx.session!.email}</span> ({ctx.membership!.role})
          </>
        }
        actions={
          writes && (
            <Link href="/invoices/new" className={buttonClass('primary')}>
              New invoice
            </Link>
          )
        }
      />
      <CardGrid>
        <KpiCard label="Outstanding" value={formatMoney(sum('sent'), currency, locale)} hint={`${formatNumber(countOf('sent'), locale)} sent, not paid`} data-testid="kpi-outstanding" />
        <KpiCard label="Paid" value={formatMoney(sum('paid'), currency, locale)} hint={`${formatNumber(countOf('paid'), locale)} invoices`} data-testid="kpi-paid" />
        <KpiCard label="Drafts" value={formatNumber(countOf('draft'), locale)} hint="not sent yet" data-testid="kpi-drafts" />
        <KpiCard label="Customers" value={formatNumber(totals.customers, locale)} data-testid="kpi-customers" />
      </CardGrid>
      <div className="mt-6 grid gap-4 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <ColumnChart
            title={`Invoiced and paid per month (${currency})`}
            description="Amounts by month of issue over the last six months; void invoices are not counted."
            series={[
              { key: 'invoiced', label: 'Invoiced' },
              { key: 'paid', label: 'Paid' },
            ]}
            data={months.map((m) => ({ label: monthLabel.format(new Date(`${m.month}T00:00:00Z`)), values: { invoiced: m.invoicedCents, paid: m.paidCents } }))}
            format={(cents) => formatMoney(cents, currency, locale).replace(/[.,]00(?=\D*$)/, '')}
            data-testid="monthly-chart"
          />
        </Card>
        <Card title="Usage this hour" data-testid="usage">
          <UsageMeter label="Exports" used={exportsUsed.used} limit={exportsUsed.limit} detail="Every export of the workspace counts, whoever runs it." data-testid="usage-exports" />
          <UsageMeter label="Invoice PDFs" used={pdfsUsed.used} limit={pdfsUsed.limit} detail={`Per ${pdfsUsed.perSeconds === 60 ? 'minute' : `${pdfsUsed.perSeconds} s`}.`} data-testid="usage-pdfs" />
        </Card>
      </div>
      <h2>Latest invoices</h2>
      <InvoiceTable
        caption="Latest invoices"
        rows={rows}
        locale={locale}
        empty={
          <EmptyState title="No invoices yet" action={writes && <Link href="/invoices/new" className={buttonClass('primary')}>Create the first invoice</Link>}>
            Invoices you create appear here, newest first.
          </EmptyState>
        }
      />
    </Shell>
  );
}

/** The bare domain names no tenant: point people at their tenant's address. */
async function Landing() {
  const demo = env.showDemoHints ? await getDb().platform.listTenants() : [];
  return <WorkspaceLanding product="Invoices" example={tenantOrigin('your-team')} demo={demo.map((t) => ({ ...t, href: tenantOrigin(t.slug) }))} />;
}
