import Link from 'next/link';
import { getAuth, pageContext } from '~/product';
import { TenantHeader } from '~/components/tenant-header';
import { listLessons } from '~/lessons';
import { tenantPath } from '~/paths';

export const metadata = { title: 'Lesson plans' };

// Reads the database on every request.
export const dynamic = 'force-dynamic';

const cell = { padding: '0.4rem 0.6rem', borderBottom: '1px solid #e5e7eb', textAlign: 'left' } as const;
const badge = (shared: boolean) => ({ fontSize: '0.8rem', padding: '0.1rem 0.5rem', borderRadius: 999, background: shared ? '#dcfce7' : '#f3f4f6', color: shared ? '#166534' : '#374151' });

/** The member's own lesson plans and the ones shared inside the tenant. */
export default async function LessonList({ searchParams }: { searchParams: Promise<{ deleted?: string }> }) {
  const ctx = await pageContext('lessons:read', '/');
  const me = ctx.session!.userId;
  const [plans, members, workspaces, { deleted }] = await Promise.all([
    listLessons(ctx),
    getAuth().membersOf(ctx.tenant.id),
    getAuth().tenantsOf(me),
    searchParams,
  ]);
  const names = new Map(members.map((m) => [m.userId, m.name]));
  // One host serves every tenant, so the session carries over: a switch is a link.
  const others = workspaces.filter((t) => t.id !== ctx.tenant.id && t.status !== 'suspended');
  return (
    <main>
      <TenantHeader ctx={ctx} />
      <h1>Lesson plans</h1>
      {deleted && (
        <p role="status" data-testid="deleted">
          The lesson plan was deleted.
        </p>
      )}
      <p style={{ color: '#6b7280' }}>Your own plans, and the plans your colleagues at {ctx.tenant.name} share.</p>
      {ctx.tenant.status === 'read_only' && <p role="status">{ctx.tenant.name} is read-only for the moment: plans can be read, not changed.</p>}
      {plans.length === 0 ? (
        <p data-testid="no-lessons">
          No lesson plans yet. <Link href={tenantPath(ctx.tenant.slug, '/lessons/new')}>Write the first one</Link>.
        </p>
      ) : (
        <table data-testid="lessons" style={{ borderCollapse: 'collapse', width: '100%' }}>
          <thead>
            <tr>
              <th style={cell}>Title</th>
              <th style={cell}>Subject</th>
              <th style={cell}>Author</th>
              <th style={cell}>Visibility</th>
              <th style={cell}>Updated</th>
            </tr>
          </thead>
          <tbody>
            {plans.map((plan) => (
              <tr key={plan.id} data-lesson-id={plan.id}>
                <td style={cell}>
                  <Link href={tenantPath(ctx.tenant.slug, `/lessons/${plan.id}`)}>{plan.title}</Link>
                </td>
                <td style={cell}>{plan.subject}</td>
                <td style={cell}>{plan.authorId === me ? 'you' : ((plan.authorId && names.get(plan.authorId)) ?? 'a former member')}</td>
                <td style={cell}>
                  <span style={badge(plan.shared)}>{plan.shared ? 'shared' : 'private'}</span>
                </td>
                <td style={cell}>{plan.updatedAt.toISOString().slice(0, 10)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {others.length > 0 && (
        <p data-testid="tenant-switcher" style={{ marginTop: '2rem' }}>
          Your other workspaces:{' '}
          {others.map((t, i) => (
            <span key={t.id}>
              {i > 0 && ', '}
              <Link href={tenantPath(t.slug)} data-testid={`switch-${t.slug}`}>
                {t.name}
              </Link>
            </span>
          ))}
        </p>
      )}
    </main>
  );
}
