import Link from 'next/link';
import { buttonClass, EmptyState, Notice, PageHeader, StatusBadge, Table } from '@studio/ui/components';
import { can } from '@studio/tenancy/request';
import { formatDate, localeFor } from '@studio/ui/format';
import { headers } from 'next/headers';
import { getAuth, pageContext } from '~/product';
import { Shell } from '~/components/shell';
import { ToastOnArrival } from '~/components/toast-on-arrival';
import { listLessons } from '~/lessons';
import { tenantPath } from '~/paths';

export const metadata = { title: 'Lesson plans' };

// Reads the database on every request.
export const dynamic = 'force-dynamic';

/** The member's own lesson plans and the ones shared inside the tenant. */
export default async function LessonList({ searchParams }: { searchParams: Promise<{ deleted?: string }> }) {
  const ctx = await pageContext('lessons:read', '/');
  const me = ctx.session!.userId;
  const [plans, members, { deleted }, requestHeaders] = await Promise.all([listLessons(ctx), getAuth().membersOf(ctx.tenant.id), searchParams, headers()]);
  const locale = localeFor(ctx.tenant, requestHeaders);
  const names = new Map(members.map((m) => [m.userId, m.name]));
  const slug = ctx.tenant.slug;
  const readOnly = ctx.tenant.status === 'read_only';
  const writes = can(ctx, 'lessons:write') && !readOnly;
  const newPlan = (label: string) => (
    <Link href={tenantPath(slug, '/lessons/new')} className={buttonClass('primary')}>
      {label}
    </Link>
  );
  return (
    <Shell ctx={ctx}>
      <PageHeader
        title="Lesson plans"
        description={
          <>
            Your own plans, and the plans your colleagues at <span data-testid="tenant-name">{ctx.tenant.name}</span> share. Signed in as{' '}
            <span data-testid="user-email">{ctx.session!.email}</span> ({ctx.membership!.role}).
          </>
        }
        actions={writes && newPlan('New lesson plan')}
      />
      {deleted && (
        <>
          <Notice tone="success" role="status" data-testid="deleted">
            The lesson plan was deleted.
          </Notice>
          <ToastOnArrival message="Lesson plan deleted" />
        </>
      )}
      {readOnly && (
        <Notice tone="warn" role="status" title="Read-only for the moment">
          {ctx.tenant.name} is read-only: plans can be read, not changed.
        </Notice>
      )}
      <Table
        caption="Lesson plans"
        data-testid="lessons"
        columns={[
          { key: 'title', header: 'Title' },
          { key: 'subject', header: 'Subject' },
          { key: 'author', header: 'Author' },
          { key: 'visibility', header: 'Visibility' },
          { key: 'updated', header: 'Updated', align: 'end' },
        ]}
        rows={plans.map((plan) => ({
          key: plan.id,
          'data-testid': `lesson-${plan.id}`,
          cells: {
            title: (
              <Link href={tenantPath(slug, `/lessons/${plan.id}`)} className="font-medium [overflow-wrap:anywhere]">
                {plan.title}
              </Link>
            ),
            subject: <span className="[overflow-wrap:anywhere]">{plan.subject}</span>,
            author: plan.authorId === me ? 'you' : ((plan.authorId && names.get(plan.authorId)) ?? 'a former member'),
            visibility: <StatusBadge status={plan.shared ? 'active' : 'draft'} label={plan.shared ? 'shared' : 'private'} />,
            updated: <time dateTime={plan.updatedAt.toISOString()}>{formatDate(plan.updatedAt.toISOString().slice(0, 10), locale)}</time>,
          },
        }))}
        empty={
          <EmptyState title="No lesson plans yet" action={writes && newPlan('Write the first one')} data-testid="no-lessons">
            Plans you write, and plans your colleagues share with {ctx.tenant.name}, appear here, newest first.
          </EmptyState>
        }
      />
    </Shell>
  );
}
