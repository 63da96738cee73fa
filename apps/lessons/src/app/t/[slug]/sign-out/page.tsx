import { publicAccess } from '@studio/tenancy/request';
import { notFound } from 'next/navigation';
import { SignOut } from '@studio/ui';
import { CenteredShell } from '@studio/ui/interactive';
import { tenantPath } from '~/paths';
import { getTenancy } from '~/product';

export const metadata = { title: 'Sign out' };

export const dynamic = 'force-dynamic';

export default async function SignOutPage() {
  publicAccess('signing out ends whatever session the browser holds');
  const tenant = await getTenancy().getTenant();
  if (!tenant) notFound();
  return (
    <CenteredShell product="Lessons">
      <h1>Sign out of {tenant.name}</h1>
      <SignOut then={tenantPath(tenant.slug, '/sign-in')} />
    </CenteredShell>
  );
}
