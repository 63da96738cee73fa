import { notFound } from 'next/navigation';
import { SignInForm } from '~/components/sign-in-form';
import { getTenancy } from '~/tenancy';

export const dynamic = 'force-dynamic';

export default async function SignIn() {
  const tenant = await getTenancy().getTenant();
  if (!tenant) notFound();
  return (
    <main>
      <h1>Sign in to {tenant.name}</h1>
      <SignInForm next={`/t/${tenant.slug}`} />
    </main>
  );
}
