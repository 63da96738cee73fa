import { invoices } from '@studio/db-schema/schema';
import { desc } from 'drizzle-orm';
import Link from 'next/link';
import { getDb } from '~/db';
import { tenantOrigin } from '~/env';
import { pageContext } from '~/page-context';
import { getTenancy } from '~/tenancy';

// Reads the database on every request.
export const dynamic = 'force-dynamic';

export default async function Home() {
  const tenant = await getTenancy().getTenant();
  if (!tenant) return <Landing />;
  const ctx = await pageContext('/');
  // Other workspaces of this user: each has its own address, and its own sign-in (the session
  // cookie belongs to one tenant's host).
  const others = (await getDb().platform.tenantsOfUser(ctx.session!.userId)).filter((t) => t.id !== ctx.tenant.id && t.status !== 'suspended');
  const rows = await ctx.db
    .select({ id: invoices.id, number: invoices.number, status: invoices.status, amountCents: invoices.amountCents })
    .from(invoices)
    .orderBy(desc(invoices.createdAt))
    .limit(20);
  return (
    <main>
      <h1 data-testid="tenant-name">{ctx.tenant.name}</h1>
      <p>
        Signed in as <span data-testid="user-email">{ctx.session!.email}</span> ({ctx.membership!.role}) ·{' '}
        <Link href="/members">Members</Link> · <Link href="/sign-out">Sign out</Link>
      </p>
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
                <Link href={`/invoices/${row.id}`}>{row.number}</Link>
              </td>
              <td>{row.status}</td>
              <td style={{ textAlign: 'right' }}>{(row.amountCents / 100).toFixed(2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}

/** The bare domain names no tenant: point people at their tenant's address. */
async function Landing() {
  const demo = process.env.NODE_ENV !== 'production' ? await getDb().platform.listTenants() : [];
  return (
    <main>
      <h1>Invoices</h1>
      <p>
        Each workspace has its own address: <code>{tenantOrigin('your-team')}</code>.
      </p>
      {demo.length > 0 && (
        <>
          <p>Demo workspaces (development only):</p>
          <ul data-testid="tenants">
            {demo.map((t) => (
              <li key={t.id}>
                <a href={tenantOrigin(t.slug)}>{t.name}</a> ({t.status})
              </li>
            ))}
          </ul>
        </>
      )}
    </main>
  );
}
