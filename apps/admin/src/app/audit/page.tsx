import { Badge, PageHeader } from '@studio/ui/components';
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
      <PageHeader
        title={`Audit trail${tenant ? ` of ${tenant.name}` : ''}`}
        description={
          <>
            Newest first. <Badge tone="accent">platform</Badge> events are what the console and operators did across tenants (every cross-tenant read
            included); <Badge>tenant</Badge> events are the tenants&apos; own trails, which their owners and admins read.
          </>
        }
      />
      <nav aria-label="Which events" className="mb-4 flex flex-wrap items-center gap-4 text-sm">
        {SOURCES.map((s) =>
          s === source ? (
            <strong key={s} aria-current="page">
              {s}
            </strong>
          ) : (
            <Link key={s} href={href({ tenant: tenant?.slug, source: s })}>
              {s}
            </Link>
          ),
        )}
        {tenant && <Link href={href({ source })}>all tenants</Link>}
        {tenant && <Link href={`/tenants/${tenant.slug}`}>{tenant.name} →</Link>}
      </nav>
      {/* The design system's reflowing table, written out: each row carries its action and tenant for the browser tests. */}
      <div className="overflow-hidden rounded-xl border border-line max-sm:rounded-none max-sm:border-0">
        <table data-testid="audit-trail" className="reflow m-0">
          <caption className="sr-only">Audit trail</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Source</th>
              <th scope="col">Tenant</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {page.entries.map((e) => (
              <tr key={`${e.source}-${e.id}`} data-testid="audit-row" data-action={e.action} data-tenant={e.tenantSlug ?? ''}>
                <td data-label="When">
                  <When at={e.createdAt} />
                </td>
                <td data-label="Source">
                  <Badge tone={e.source === 'platform' ? 'accent' : 'neutral'}>{e.source}</Badge>
                </td>
                <td data-label="Tenant">{e.tenantSlug ? <Link href={href({ tenant: e.tenantSlug, source })}>{e.tenantSlug}</Link> : <span className="text-muted">-</span>}</td>
                <td data-label="Who">{e.actorEmail ?? (e.actorId ? <code>{e.actorId.slice(0, 8)}</code> : <span className="text-muted">system</span>)}</td>
                <td data-label="Action">
                  <code>{e.action}</code>
                  {e.target && <div className="font-mono text-xs break-all text-muted">{e.target}</div>}
                </td>
                <td data-label="Details" className="max-w-md font-mono text-xs break-all">
                  {Object.keys(e.payload).length > 0 ? JSON.stringify(e.payload) : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="mt-4 flex gap-4">
        {page.cursor && <Link href={href({ tenant: tenant?.slug, source })}>« Newest</Link>}
        {page.nextCursor && (
          <Link href={href({ tenant: tenant?.slug, source, cursor: page.nextCursor })} data-testid="older">
            Older »
          </Link>
        )}
      </p>
    </Page>
  );
}
