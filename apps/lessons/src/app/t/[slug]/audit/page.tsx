import { type AuditPage } from '@studio/tenancy/audit';
import Link from 'next/link';
import { readAuditPage } from '~/audit';
import { getAuth, pageContext } from '~/product';
import { TenantHeader } from '~/components/tenant-header';
import { tenantPath } from '~/paths';

export const metadata = { title: 'Audit log' };

export const dynamic = 'force-dynamic';

const cell = { padding: '0.4rem 0.6rem', borderBottom: '1px solid #e5e7eb', textAlign: 'left', verticalAlign: 'top' } as const;

/** The tenant's audit trail, newest first, a page at a time (keyset: the cursor names the last event shown). */
export default async function AuditTrail({ searchParams }: { searchParams: Promise<{ cursor?: string | string[] }> }) {
  const ctx = await pageContext('audit:read', '/audit');
  const { cursor, page } = await readAuditPage(ctx.db, (await searchParams).cursor);
  const members = new Map((await getAuth().membersOf(ctx.tenant.id)).map((m) => [m.userId, m]));
  const actor = (event: AuditPage['events'][number]) => {
    if (event.actorId) {
      const member = members.get(event.actorId);
      return member ? `${member.name} <${member.email}>` : 'a former member';
    }
    return event.payload.apiTokenId ? 'an API token' : 'the system';
  };
  const home = tenantPath(ctx.tenant.slug, '/audit');
  return (
    <main>
      <TenantHeader ctx={ctx} />
      <h1>Audit trail</h1>
      <p style={{ color: '#6b7280' }}>What happened in {ctx.tenant.name}, newest first. Every change is recorded in the same transaction as the change itself.</p>
      {page.events.length === 0 ? (
        <p data-testid="no-events">No events {cursor ? 'before these' : 'yet'}.</p>
      ) : (
        <table data-testid="audit" style={{ borderCollapse: 'collapse', width: '100%', fontSize: '0.9rem' }}>
          <thead>
            <tr>
              <th style={cell}>Time (UTC)</th>
              <th style={cell}>Actor</th>
              <th style={cell}>Action</th>
              <th style={cell}>Target</th>
            </tr>
          </thead>
          <tbody>
            {page.events.map((event) => (
              <tr key={event.id} data-action={event.action} data-target={event.target ?? ''}>
                <td style={{ ...cell, whiteSpace: 'nowrap' }}>{event.createdAt.toISOString().slice(0, 19).replace('T', ' ')}</td>
                <td style={cell}>{actor(event)}</td>
                <td style={cell}>
                  <code>{event.action}</code>
                </td>
                <td style={cell}>
                  {event.target ? <code style={{ fontSize: '0.8rem' }}>{event.target}</code> : '-'}
                  {typeof event.payload.title === 'string' && <div style={{ color: '#6b7280' }}>{event.payload.title}</div>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p style={{ display: 'flex', gap: '1rem' }}>
        {cursor && (
          <Link href={home} data-testid="newest">
            ← Newest
          </Link>
        )}
        {page.nextCursor && (
          <Link href={`${home}?cursor=${encodeURIComponent(page.nextCursor)}`} data-testid="older">
            Older events →
          </Link>
        )}
      </p>
    </main>
  );
}
