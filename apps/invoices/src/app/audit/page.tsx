import { formatDateTime } from '@studio/ui/format';
import { Pager, TenantNav } from '~/components/nav';
import { readAuditPage } from '~/lib/audit';
import { requestLocale } from '~/lib/locale';
import { getAuth, pageContext } from '~/product';

export const metadata = { title: 'Audit log' };

export const dynamic = 'force-dynamic';

type Search = Promise<Record<string, string | string[] | undefined>>;

/** The tenant's audit trail (C10), newest first: who did what, when, to which record. */
export default async function AuditTrail({ searchParams }: { searchParams: Search }) {
  const search = await searchParams;
  const ctx = await pageContext('audit:read', '/audit');
  const { action, after, page } = await readAuditPage(ctx.db, search);
  const locale = await requestLocale(ctx.tenant);
  const names = new Map((await getAuth().membersOf(ctx.tenant.id)).map((m) => [m.userId, m.email]));
  return (
    <main>
      <TenantNav ctx={ctx} />
      <h1>Audit trail</h1>
      <form method="get">
        <input name="action" defaultValue={action} placeholder="e.g. invoice.update" aria-label="Action" /> <button>Filter</button>
      </form>
      {page.events.length === 0 ? (
        <p data-testid="empty">No events{action ? ` for ${action}` : ''}.</p>
      ) : (
        <table data-testid="audit">
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>Action</th>
              <th>Target</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {page.events.map((e) => (
              <tr key={e.id}>
                <td>
                  <time dateTime={e.createdAt.toISOString()}>{formatDateTime(e.createdAt, locale)}</time>
                </td>
                <td>{e.actorId ? (names.get(e.actorId) ?? e.actorId) : 'system'}</td>
                <td>{e.action}</td>
                <td>{e.target ? <code>{e.target.slice(0, 8)}</code> : ''}</td>
                <td>
                  <code style={{ fontSize: '0.8em' }}>{JSON.stringify(e.payload)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager path="/audit" params={{ action, after }} next={page.nextCursor} />
    </main>
  );
}
