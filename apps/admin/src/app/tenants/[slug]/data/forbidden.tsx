import Link from 'next/link';
import { currentSession } from '~/admin-context';
import { Page } from '~/components/chrome';
import { NotAdmin } from '~/components/not-admin';

/** 403 for a tenant's data: not a platform admin, or no active break-glass grant (none, expired, ended). */
export default async function NoSupportAccess() {
  const session = await currentSession();
  if (!session?.isPlatformAdmin) return <NotAdmin session={session} />;
  return (
    <Page session={session}>
      <h1 data-testid="no-access">403: no active support access</h1>
      <p>
        A tenant&apos;s own data opens only under a break-glass grant: a reason, a time limit, and a record in the tenant&apos;s audit trail. Yours
        has expired or was ended, you have not asked for one, or the tenant is suspended. Ask again from the tenant&apos;s page.
      </p>
      <p>
        <Link href="/">← Tenants</Link>
      </p>
    </Page>
  );
}
