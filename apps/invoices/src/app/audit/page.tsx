import { auditTrail } from '@studio/tenancy/audit';
import { TenancyError } from '@studio/tenancy';
import { searchParam } from '@studio/ui/lists';
import { Pager, TenantNav } from '~/components/nav';
import { getAuth, pageContext } from '~/product';

export const dynamic = 'force-dynamic';

type Search = Promise<Record<string, string | string[] | undefined>>;

/** The tenant's audit trail (C10), newest first: who did what, when, to which record. */
export default async function AuditTrail({ searchParams }: { searchParams: Search }) {
  const search = await searchParams;
  const ctx = await pageContext('audit:read', '/audit');
  const action = searchParam(search.action, 100);
  const after = searchParam(search.after, 200);
  let page;
  try {
    page = await auditTrail(ctx.db, { action: action || undefined, cursor: after || null, limit: 50 });
  } catch (error) {
    // A hand-edited cursor: start again from the newest event.
    if (!TenancyError.is(error)) throw error;
    page = await auditTrail(ctx.db, { action: action || undefined, limit: 50 });
  }
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
              <th>When (UTC)</th>
              <th>Who</th>
              <th>Action</th>
              <th>Target</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {page.events.map((e) => (
              <tr key={e.id}>
                <td>{e.createdAt.toISOString().replace('T', ' ').slice(0, 19)}</td>
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
