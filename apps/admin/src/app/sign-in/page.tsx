import { publicAccess } from '@studio/tenancy/request';
import { redirect } from 'next/navigation';
import { currentSession } from '~/admin-context';
import { Page } from '~/components/chrome';
import { env } from '~/env';
import { safeNextPath } from '@studio/tenancy/next';
import { SignInForm } from '@studio/ui';
import { PageHeader } from '@studio/ui/components';

export const metadata = { title: 'Sign in' };

export const dynamic = 'force-dynamic';

export default async function SignIn({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  publicAccess('the sign-in form: whoever is not signed in yet');
  const { next } = await searchParams;
  // Only paths of this site, judged as the browser will read them (/\evil.example is //evil.example).
  const target = safeNextPath(next);
  const session = await currentSession();
  if (session?.isPlatformAdmin) redirect(target);
  return (
    <Page session={session}>
      <div className="mx-auto max-w-md">
        <PageHeader title="Sign in to the admin console" description="For platform administrators. Every tenant you look at here is recorded in the platform audit trail." />
        <SignInForm next={target} />
        {!env.production && (
          <p className="mt-4 text-sm text-muted">
            Demo: <code>admin@studio.test</code> with the password <code>demo-password</code>.
          </p>
        )}
      </div>
    </Page>
  );
}
