import { PageHeader } from '@studio/ui/components';
import Link from 'next/link';
import { adminContext } from '~/admin-context';
import { Page } from '~/components/chrome';
import { NewTenantForm } from '~/components/forms';

export const metadata = { title: 'New tenant' };

export const dynamic = 'force-dynamic';

export default async function NewTenant() {
  const session = await adminContext('platform-admin', '/tenants/new');
  return (
    <Page session={session}>
      <p className="mb-2 text-sm">
        <Link href="/">← Tenants</Link>
      </p>
      <PageHeader
        title="New tenant"
        description="Starts active, on the free plan, in the shared database, with no member: its owner joins by the invitation sent here, and then invites the others from a product app."
      />
      <NewTenantForm />
    </Page>
  );
}
