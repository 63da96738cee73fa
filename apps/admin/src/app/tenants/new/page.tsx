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
      <p>
        <Link href="/">← Tenants</Link>
      </p>
      <h1>New tenant</h1>
      <p className="muted">Starts active, on the free plan, in the shared database. Its first members join by invitation from a product app.</p>
      <NewTenantForm />
    </Page>
  );
}
