import Link from 'next/link';
import { adminContext } from '~/admin-context';
import { Page, StatusBadge, When } from '~/components/chrome';
import { getAdmin, getBreakGlass } from '~/db';
import { listTenants } from '~/lib/console';

// The layout's template names the pages below it, not this one (its own segment).
export const metadata = { title: 'Tenants · Studio admin' };

// Reads the database on every request.
export const dynamic = 'force-dynamic';

export default async function Tenants() {
  const session = await adminContext('platform-admin', '/');
  const [tenants, grants] = await Promise.all([listTenants(await getAdmin(), session), (await getBreakGlass()).activeGrants(session)]);
  return (
    <Page session={session}>
      <h1>Tenants</h1>
      <p className="muted">
        Every tenant with its members and the rows it holds in the shared database (exact counts over every tenant table). Opening this page is
        recorded in the platform audit trail.
      </p>
      <p>
        <Link href="/tenants/new" data-testid="new-tenant-link">
          + New tenant
        </Link>
      </p>
      <table data-testid="tenants">
        <thead>
          <tr>
            <th>Tenant</th>
            <th>Status</th>
            <th>Plan</th>
            <th>Placement</th>
            <th className="num">Members</th>
            <th className="num">Rows</th>
            <th>Support access</th>
          </tr>
        </thead>
        <tbody>
          {tenants.map((t) => {
            const open = grants.filter((g) => g.tenantId === t.id);
            return (
              <tr key={t.id} data-testid={`tenant-${t.slug}`}>
                <td>
                  <Link href={`/tenants/${t.slug}`}>{t.name}</Link> <code>{t.slug}</code>
                </td>
                <td>
                  <StatusBadge status={t.status} />
                </td>
                <td>{t.plan}</td>
                <td>{t.placement}</td>
                <td className="num" data-testid="members">
                  <Link href={`/tenants/${t.slug}/members`}>{t.members}</Link>
                </td>
                <td className="num" data-testid="rows" title={Object.entries(t.rows).map(([table, n]) => `${table}: ${n}`).join('\n')}>
                  {t.placement === 'shared' ? t.totalRows.toLocaleString('en') : <span className="muted">in {t.placement}</span>}
                </td>
                <td>
                  {open.map((g) => (
                    <div key={g.id}>
                      {g.adminEmail} until <When at={g.expiresAt} />
                      {g.allowWrites ? ' (writes)' : ''}
                    </div>
                  ))}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </Page>
  );
}
