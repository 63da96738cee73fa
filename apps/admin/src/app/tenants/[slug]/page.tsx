import { BREAK_GLASS_MINUTES, DEFAULT_BREAK_GLASS_MINUTES } from '@studio/platform';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { adminContext } from '~/admin-context';
import { Page, StatusBadge, When } from '~/components/chrome';
import { BreakGlassForm, EndAccessForm, StatusForm } from '~/components/forms';
import { getAdmin, getBreakGlass } from '~/db';
import { getTenant, slugParam } from '~/lib/console';

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return { title: slug };
}

export const dynamic = 'force-dynamic';

export default async function TenantPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug: raw } = await params;
  const session = await adminContext('platform-admin', `/tenants/${raw}`);
  const slug = slugParam(raw);
  if (!slug) notFound();
  const tenant = await getTenant(await getAdmin(), session, slug);
  if (!tenant) notFound();
  const breakGlass = await getBreakGlass();
  const [mine, grants] = await Promise.all([breakGlass.active(session, tenant.id), breakGlass.activeGrants(session, tenant.id)]);
  const others = grants.filter((g) => g.id !== mine?.id);
  return (
    <Page session={session}>
      <p>
        <Link href="/">← Tenants</Link>
      </p>
      <h1 data-testid="tenant-name">
        {tenant.name} <StatusBadge status={tenant.status} />
      </h1>
      {tenant.statusReason && <p className="muted">Reason: {tenant.statusReason}</p>}
      <nav className="sub">
        <Link href={`/tenants/${tenant.slug}/members`} data-testid="members-link">
          Members ({tenant.members})
        </Link>
        <Link href={`/audit?tenant=${tenant.slug}`} data-testid="audit-link">
          Audit trail
        </Link>
        <Link href={`/tenants/${tenant.slug}/exports`} data-testid="exports-link">
          Exports
        </Link>
      </nav>
      <div className="cards">
        <div className="card">
          <div className="value">{tenant.members}</div>
          <div className="label">members</div>
        </div>
        <div className="card">
          <div className="value">{tenant.placement === 'shared' ? tenant.totalRows.toLocaleString('en') : '-'}</div>
          <div className="label">rows in tenant tables</div>
        </div>
        <div className="card">
          <div className="value">{tenant.plan}</div>
          <div className="label">plan</div>
        </div>
        <div className="card">
          <div className="value">{tenant.placement}</div>
          <div className="label">database</div>
        </div>
      </div>
      <p className="muted">
        <code>{tenant.slug}</code> · id <code>{tenant.id}</code> · created <When at={tenant.createdAt} />
      </p>
      {tenant.placement === 'shared' ? (
        <table data-testid="sizes">
          <thead>
            <tr>
              <th>Table</th>
              <th className="num">Rows</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(tenant.rows).map(([table, n]) => (
              <tr key={table}>
                <td>
                  <code>{table}</code>
                </td>
                <td className="num">{n.toLocaleString('en')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">Its rows live in the {tenant.placement} database; the console counts the shared database only.</p>
      )}

      <h2>Support access (break-glass)</h2>
      {mine ? (
        <div className={`notice${mine.allowWrites ? ' writes' : ''}`} data-testid="active-grant">
          <p>
            You have {mine.allowWrites ? 'read and write' : 'read-only'} access until <When at={mine.expiresAt} />. Reason: “{mine.reason}”.
          </p>
          <p>
            <Link href={`/tenants/${tenant.slug}/data`} data-testid="open-data">
              Open {tenant.name}&apos;s data
            </Link>
          </p>
          <EndAccessForm slug={tenant.slug} />
        </div>
      ) : tenant.status === 'active' ? (
        <>
          <p className="muted">
            To look at {tenant.name}&apos;s own data (invoices, customers, lesson plans), give a reason. The access is recorded in {tenant.name}&apos;s
            audit trail, which its members see, and it ends by itself.
          </p>
          <BreakGlassForm slug={tenant.slug} minutes={BREAK_GLASS_MINUTES} defaultMinutes={DEFAULT_BREAK_GLASS_MINUTES} />
        </>
      ) : (
        <p className="muted">Support access opens for active tenants only.</p>
      )}
      {others.length > 0 && (
        <p className="muted">
          Also open:{' '}
          {others.map((g) => (
            <span key={g.id}>
              {g.adminEmail} until <When at={g.expiresAt} />{' '}
            </span>
          ))}
        </p>
      )}

      <h2>Status</h2>
      <StatusForm slug={tenant.slug} status={tenant.status} />
    </Page>
  );
}
