import { TenantHeader } from '~/components/tenant-header';
import { pageContext } from '~/product';
import { LessonForm } from '../lesson-forms';

export const metadata = { title: 'New lesson plan' };

export const dynamic = 'force-dynamic';

export default async function NewLesson() {
  const ctx = await pageContext('lessons:write', '/lessons/new');
  return (
    <main>
      <TenantHeader ctx={ctx} />
      <h1>New lesson plan</h1>
      {ctx.tenant.status === 'read_only' ? (
        <p role="status">{ctx.tenant.name} is read-only for the moment: no new plans can be written.</p>
      ) : (
        <LessonForm tenantName={ctx.tenant.name} />
      )}
    </main>
  );
}
