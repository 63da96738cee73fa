import { publicAccess } from '@studio/tenancy/request';
import { notFound } from 'next/navigation';
import { safeNextPath } from '@studio/tenancy/next';
import { SignInForm } from '@studio/ui';
import { CenteredShell } from '@studio/ui/interactive';
import { env } from '~/env';
import { tenantPath } from '~/paths';
import { getTenancy } from '~/product';

export const metadata = { title: 'Sign in' };

export const dynamic = 'force-dynamic';

export default async function SignIn({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  publicAccess('the sign-in form: whoever is not signed in yet');
  const tenant = await getTenancy().getTenant();
  if (!tenant) notFound();
  const { next } = await searchParams;
  // Only pages of this tenant: anything else (another site, another tenant) would be an open redirect.
  const target = safeNextPath(next, { within: tenantPath(tenant.slug) });
  return (
    <CenteredShell product="Lessons">
      <h1>Sign in to {tenant.name}</h1>
      <SignInForm next={target} />
      {env.showDemoHints && (
        <p className="mt-4 mb-0 text-sm text-muted">
          Demo users sign in with the password <code>demo-password</code> (see the output of pnpm dev).
        </p>
      )}
    </CenteredShell>
  );
}
