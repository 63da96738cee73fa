import { publicAccess } from '@studio/tenancy/request';
import { safeNextPath } from '@studio/tenancy/next';
import { notFound } from 'next/navigation';
import { SignInForm } from '~/components/sign-in-form';
import { getTenancy } from '~/product';

export const dynamic = 'force-dynamic';

export default async function SignIn({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  publicAccess('the sign-in form: whoever is not signed in yet');
  const tenant = await getTenancy().getTenant();
  if (!tenant) notFound();
  return (
    <main>
      <h1>Sign in to {tenant.name}</h1>
      {/* ?next= stays inside this tenant: another site or tenant would be an open redirect. */}
      <SignInForm next={safeNextPath((await searchParams).next, { within: `/t/${tenant.slug}` })} />
    </main>
  );
}
