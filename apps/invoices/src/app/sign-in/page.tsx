import { notFound } from 'next/navigation';
import { SignInForm } from '@studio/ui';
import { getTenancy } from '~/tenancy';

export const dynamic = 'force-dynamic';

export default async function SignIn({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const tenant = await getTenancy().getTenant();
  if (!tenant) notFound();
  const { next } = await searchParams;
  // Only paths of this site: an absolute or protocol-relative URL would be an open redirect.
  const target = next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
  return (
    <main>
      <h1>Sign in to {tenant.name}</h1>
      <SignInForm next={target} />
      {process.env.NODE_ENV !== 'production' && (
        <p>
          <small>Demo users sign in with the password <code>demo-password</code> (see the output of pnpm dev).</small>
        </p>
      )}
    </main>
  );
}
