import { notFound } from 'next/navigation';
import { getAuth, pageContext } from '~/product';
import { TenantHeader } from '~/components/tenant-header';
import { findLesson, mayEdit } from '~/lessons';
import { DeleteLesson, LessonForm, ShareToggle } from '../lesson-forms';

export const metadata = { title: 'Lesson plan' };

export const dynamic = 'force-dynamic';

/**
 * One lesson plan: editable by its author or an admin, read-only for the members it is shared
 * with. Another tenant's plan, a colleague's unshared one and a made-up id all answer 404.
 */
export default async function LessonPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await pageContext('lessons:read', `/lessons/${encodeURIComponent(id)}`);
  const plan = await findLesson(ctx, id);
  if (!plan) notFound();
  const mine = plan.authorId === ctx.session!.userId;
  const author = mine ? 'you' : ((await getAuth().membersOf(ctx.tenant.id)).find((m) => m.userId === plan.authorId)?.name ?? 'a former member');
  const editable = mayEdit(ctx, plan) && ctx.tenant.status !== 'read_only';
  return (
    <main>
      <TenantHeader ctx={ctx} />
      <h1 data-testid="lesson-title">{plan.title}</h1>
      <p style={{ color: '#6b7280' }}>
        {plan.subject} · by {author} · <span data-testid="lesson-visibility">{plan.shared ? `shared with ${ctx.tenant.name}` : 'private'}</span> · updated{' '}
        {plan.updatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC
      </p>
      {editable ? (
        <>
          <div style={{ display: 'flex', gap: '0.75rem', flexWrap: 'wrap', margin: '1rem 0' }}>
            <ShareToggle id={plan.id} shared={plan.shared} tenantName={ctx.tenant.name} />
            <DeleteLesson id={plan.id} />
          </div>
          <h2>Edit</h2>
          <LessonForm lesson={{ id: plan.id, title: plan.title, subject: plan.subject, body: plan.body, shared: plan.shared }} tenantName={ctx.tenant.name} />
        </>
      ) : (
        <article data-testid="lesson-body" style={{ whiteSpace: 'pre-wrap' }}>
          {plan.body || <em>No plan written yet.</em>}
        </article>
      )}
    </main>
  );
}
