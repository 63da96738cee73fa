import { EmptyState, PageHeader, Table } from '@studio/ui/components';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { adminContext } from '~/admin-context';
import { Page, StatusBadge, When } from '~/components/chrome';
import { getAdmin } from '~/db';
import { findTenant, listMembers, slugParam } from '~/lib/console';

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return { title: `Members · ${slug}` };
}

export const dynamic = 'force-dynamic';

export default async function Members({ params }: { params: Promise<{ slug: string }> }) {
  const { slug: raw } = await params;
  const session = await adminContext('platform-admin', `/tenants/${raw}/members`);
  const slug = slugParam(raw);
  if (!slug) notFound();
  const admin = await getAdmin();
  const tenant = await findTenant(admin, slug);
  if (!tenant) notFound();
  const members = await listMembers(admin, session, tenant);
  return (
    <Page session={session}>
      <p className="mb-2 text-sm">
        <Link href={`/tenants/${tenant.slug}`}>← {tenant.name}</Link>
      </p>
      <PageHeader title={`Members of ${tenant.name}`} description="This cross-tenant read is recorded in the platform audit trail." />
      <Table
        data-testid="members"
        caption={`Members of ${tenant.name}`}
        empty={
          <EmptyState title="No members yet">
            Its first owner joins by the invitation sent from <Link href={`/tenants/${tenant.slug}`}>its page</Link>; the owner invites the others.
          </EmptyState>
        }
        columns={[
          { key: 'name', header: 'Name' },
          { key: 'email', header: 'Email' },
          { key: 'role', header: 'Role' },
          { key: 'joined', header: 'Joined' },
        ]}
        rows={members.map((m) => ({
          key: m.userId,
          cells: { name: m.name, email: m.email, role: <StatusBadge status={m.role} />, joined: <When at={m.joinedAt} /> },
        }))}
      />
    </Page>
  );
}
