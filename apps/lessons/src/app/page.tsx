import { publicAccess } from '@studio/tenancy/request';
import { WorkspaceLanding } from '@studio/ui';
import { getDb } from '~/product';
import { env } from '~/env';
import { tenantPath } from '~/paths';

// Reads the database on every request (the demo workspaces, outside production).
export const dynamic = 'force-dynamic';

/** No tenant in the path: point people at their workspace's address. */
export default async function Landing() {
  publicAccess('the landing page names no tenant and shows nothing of one');
  const demo = env.showDemoHints ? await getDb().platform.listTenants() : [];
  return (
    <WorkspaceLanding
      product="Lessons"
      example={`${env.publicUrl}/t/your-team`}
      demo={demo.map((t) => ({ ...t, href: tenantPath(t.slug) }))}
    />
  );
}
