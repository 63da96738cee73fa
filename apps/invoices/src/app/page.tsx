import { invoices } from '@studio/db-schema/schema';
import { desc } from 'drizzle-orm';
import Link from 'next/link';
import { WorkspaceLanding } from '@studio/ui';
import { formatMoney, formatNumber } from '@studio/ui/format';
import { TenantNav } from '~/components/nav';
import { dashboardTotals } from '~/lib/dashboard';
import { requestLocale } from '~/lib/locale';
import { getAuth, getDb, getTenancy, pageContext } from '~/product';
import { env, tenantOrigin } from '~/env';

// Reads the database on every request.
export const dynamic = 'force-dynamic';

export default async function Home() {
  const tenant = await getTenancy().getTenant();
  if (!tenant) return <Landing />;
  const ctx = await pageContext('member', '/');
  // Three independent reads, sent together: one wait, not three.
  const [memberships, rows, totals, locale] = await Promise.all([
    // Other workspaces of this user: each has its own address, and its own sign-in (the session
    // cookie belongs to one tenant's host).
    getAuth().tenantsOf(ctx.session!.userId),
    ctx.db
      .select({ id: invoices.id, number: invoices.number, status: invoices.status, amountCents: invoices.amountCents, currency: invoices.currency })
      .from(invoices)
      .orderBy(desc(invoices.createdAt))
      .limit(20),
    // Totals per status and currency, from the tenant cache (stale after a write, see lib/dashboard.ts).
    dashboardTotals(ctx.db),
    requestLocale(ctx.tenant),
  ]);
  const others = memberships.filter((t) => t.id !== ctx.tenant.id && t.status !== 'suspended');
  return (
    <main>
      <TenantNav ctx={ctx} />
      <h1 data-testid="tenant-name">{ctx.tenant.name}</h1>
      <p>
        Signed in as <span data-testid="user-email">{ctx.session!.email}</span> ({ctx.membership!.role})
      </p>
      <table data-testid="totals">
        <tbody>
          <tr>
            <th style={{ textAlign: 'left' }}>Customers</th>
            <td style={{ textAlign: 'right' }}>{formatNumber(totals.customers, locale)}</td>
            <td />
          </tr>
          {totals.invoices.map((t) => (
            <tr key={`${t.status}-${t.currency}`} data-testid={`total-${t.status}`}>
              <th style={{ textAlign: 'left' }}>Invoices {t.status}</th>
              <td style={{ textAlign: 'right' }}>{formatNumber(t.invoices, locale)}</td>
              <td style={{ textAlign: 'right' }}>{formatMoney(t.cents, t.currency, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {others.length > 0 && (
        <nav data-testid="tenant-switcher">
          Switch workspace:{' '}
          {others.map((t) => (
            <a key={t.id} href={tenantOrigin(t.slug)} data-testid={`switch-${t.slug}`}>
              {t.name}
            </a>
          ))}
        </nav>
      )}
      <h2>Latest invoices</h2>
      <table data-testid="invoices">
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <td>
                <Link href={`/invoices/${row.id}`} prefetch={false}>{row.number}</Link>
              </td>
              <td>{row.status}</td>
              <td style={{ textAlign: 'right' }}>{formatMoney(row.amountCents, row.currency, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}

/** The bare domain names no tenant: point people at their tenant's address. */
async function Landing() {
  const demo = env.showDemoHints ? await getDb().platform.listTenants() : [];
  return (
    <WorkspaceLanding
      product="Invoices"
      example={tenantOrigin('your-team')}
      demo={demo.map((t) => ({ ...t, href: tenantOrigin(t.slug) }))}
    />
  );
}
