import { Card, Notice, PageHeader } from '@studio/ui/components';
import { Shell } from '~/components/shell';
import { pageContext } from '~/product';
import { LessonForm } from '../lesson-forms';

export const metadata = { title: 'New lesson plan' };

export const dynamic = 'force-dynamic';

export default async function NewLesson() {
  const ctx = await pageContext('lessons:write', '/lessons/new');
  return (
    <Shell ctx={ctx}>
      <PageHeader title="New lesson plan" description={<>Private until you share it with {ctx.tenant.name}.</>} />
      {ctx.tenant.status === 'read_only' ? (
        <Notice tone="warn" role="status" title="Read-only for the moment">
          {ctx.tenant.name} is read-only: no new plans can be written.
        </Notice>
      ) : (
        <Card className="max-w-2xl">
          <LessonForm tenantName={ctx.tenant.name} />
        </Card>
      )}
    </Shell>
  );
}
