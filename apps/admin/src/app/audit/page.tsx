import Link from 'next/link';
import { notFound } from 'next/navigation';
import { adminContext } from '~/admin-context';
import { Page, When } from '~/components/chrome';
import { getAdmin } from '~/db';
import { findTenant, readAuditTrail, slugParam } from '~/lib/console';

export const metadata = { title: 'Audit trail' };

export const dynamic = 'force-dynamic';

const SOURCES = ['all', 'platform', 'tenant'] as const;
type Source = (typeof SOURCES)[number];

function href(params: { tenant?: string; source?: Source; cursor?: string }): string {
  const query = new URLSearchParams();
  if (params.tenant) query.set('tenant', params.tenant);
  if (params.source && params.source !== 'all') query.set('source', params.source);
  if (params.cursor) query.set('cursor', params.cursor);
  const text = query.toString();
  return text ? `/audit?${text}` : '/audit';
}

/** Platform events and every tenant's audit_events, newest first, 50 a page; optionally one tenant's. */
export default async function AuditTrail({ searchParams }: { searchParams: Promise<{ tenant?: string; source?: string; cursor?: string | string[] }> }) {
  const params = await searchParams;
  const session = await adminContext('platform-admin', href({ tenant: params.tenant }));
  const admin = await getAdmin();
  const source: Source = (SOURCES as readonly string[]).includes(params.source ?? '') ? (params.source as Source) : 'all';
  let tenant = null;
  if (params.tenant) {
    const slug = slugParam(params.tenant);
    tenant = slug ? await findTenant(admin, slug) : null;
    if (!tenant) notFound();
  }
  const page = await readAuditTrail(admin, session, { tenant: tenant ?? undefined, source, cursor: params.cursor });
  return (
    <Page session={session}>
      <h1>Audit trail{tenant ? ` of ${tenant.name}` : ''}</h1>
      <p className="muted">
        Newest first. <span className="badge platform">platform</span> events are what the console and operators did across tenants (every
        cross-tenant read included); <span className="badge tenant">tenant</span> events are the tenants&apos; own trails, which their members see.
      </p>
      <nav className="sub">
        {SOURCES.map((s) =>
          s === source ? (
            <strong key={s}>{s}</strong>
          ) : (
            <Link key={s} href={href({ tenant: tenant?.slug, source: s })}>
              {s}
            </Link>
          ),
        )}
        {tenant && <Link href={href({ source })}>all tenants</Link>}
        {tenant && <Link href={`/tenants/${tenant.slug}`}>{tenant.name} →</Link>}
      </nav>
      <table data-testid="audit-trail">
        <thead>
          <tr>
            <th>When</th>
            <th>Source</th>
            <th>Tenant</th>
            <th>Who</th>
            <th>Action</th>
            <th>Details</th>
          </tr>
        </thead>
        <tbody>
          {page.entries.map((e) => (
            <tr key={`${e.source}-${e.id}`} data-testid="audit-row" data-action={e.action} data-tenant={e.tenantSlug ?? ''}>
              <td>
                <When at={e.createdAt} />
              </td>
              <td>
                <span className={`badge ${e.source}`}>{e.source}</span>
              </td>
              <td>{e.tenantSlug ? <Link href={href({ tenant: e.tenantSlug, source })}>{e.tenantSlug}</Link> : <span className="muted">-</span>}</td>
              <td>{e.actorEmail ?? (e.actorId ? <code>{e.actorId.slice(0, 8)}</code> : <span className="muted">system</span>)}</td>
              <td>
                <code>{e.action}</code>
                {e.target && <div className="muted mono">{e.target}</div>}
              </td>
              <td className="payload mono">{Object.keys(e.payload).length > 0 ? JSON.stringify(e.payload) : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        {page.cursor && <Link href={href({ tenant: tenant?.slug, source })}>« Newest</Link>}{' '}
        {page.nextCursor && (
          <Link href={href({ tenant: tenant?.slug, source, cursor: page.nextCursor })} data-testid="older">
            Older »
          </Link>
        )}
      </p>
    </Page>
  );
}
