import { notFound } from 'next/navigation';
import { publicAccess } from '@studio/tenancy/request';
import { safeNextPath } from '@studio/tenancy/next';
import { SignInForm } from '@studio/ui';
import { env } from '~/env';
import { getTenancy } from '~/product';
import { CenteredShell } from '@studio/ui/interactive';

export const metadata = { title: 'Sign in' };

export const dynamic = 'force-dynamic';

export default async function SignIn({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  publicAccess('the sign-in form: whoever is not signed in yet');
  const tenant = await getTenancy().getTenant();
  if (!tenant) notFound();
  const { next } = await searchParams;
  // Only paths of this site, judged as the browser will read them (/\evil.example is //evil.example).
  const target = safeNextPath(next);
  return (
    <CenteredShell product="Invoices">
      <h1>Sign in to {tenant.name}</h1>
      <SignInForm next={target} />
      {env.showDemoHints && (
        <p>
          <small>Demo users sign in with the password <code>demo-password</code> (see the output of pnpm dev).</small>
        </p>
      )}
    </CenteredShell>
  );
}
