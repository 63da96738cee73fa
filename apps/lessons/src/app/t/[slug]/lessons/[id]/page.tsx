import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { notFound } from 'next/navigation';
import { formatDateTime, localeFor } from '@studio/ui/format';
import { Card, PageHeader, StatusBadge } from '@studio/ui/components';
import { getAuth, pageContext } from '~/product';
import { Shell } from '~/components/shell';
import { findLesson, mayEdit } from '~/lessons';
import { DeleteLesson, LessonForm, ShareToggle } from '../lesson-forms';

export const dynamic = 'force-dynamic';

/**
 * The plan's own title, for a member who may read it; "Lesson plan" otherwise (the page itself
 * then answers 404, or sends to sign-in: a refusal here is the page's to give, not the title's).
 */
export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  const plan = await pageContext('lessons:read', `/lessons/${encodeURIComponent(id)}`)
    .then((ctx) => findLesson(ctx, id))
    .catch(() => null);
  return { title: plan?.title ?? 'Lesson plan' };
}

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
    <Shell ctx={ctx}>
      <PageHeader
        title={
          <span data-testid="lesson-title" className="[overflow-wrap:anywhere]">
            {plan.title}
          </span>
        }
        description={
          <span className="inline-flex flex-wrap items-center gap-x-3 gap-y-1">
            <span className="[overflow-wrap:anywhere]">
              {plan.subject} · by {author}
            </span>
            <StatusBadge status={plan.shared ? 'active' : 'draft'} label={<span data-testid="lesson-visibility">{plan.shared ? `shared with ${ctx.tenant.name}` : 'private'}</span>} />
            <span>
              updated <time dateTime={plan.updatedAt.toISOString()}>{formatDateTime(plan.updatedAt, localeFor(ctx.tenant, await headers()))}</time>
            </span>
          </span>
        }
        actions={
          editable && (
            <>
              <ShareToggle id={plan.id} shared={plan.shared} tenantName={ctx.tenant.name} />
              <DeleteLesson id={plan.id} title={plan.title} />
            </>
          )
        }
      />
      {editable ? (
        <Card title="Edit" className="max-w-2xl">
          <LessonForm lesson={{ id: plan.id, title: plan.title, subject: plan.subject, body: plan.body, shared: plan.shared }} tenantName={ctx.tenant.name} />
        </Card>
      ) : (
        <Card className="max-w-3xl">
          <article data-testid="lesson-body" className="whitespace-pre-wrap [overflow-wrap:anywhere]">
            {plan.body || <em className="text-muted">No plan written yet.</em>}
          </article>
        </Card>
      )}
    </Shell>
  );
}
