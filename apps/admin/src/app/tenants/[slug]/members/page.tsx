import Link from 'next/link';
import { notFound } from 'next/navigation';
import { adminContext } from '~/admin-context';
import { Page, When } from '~/components/chrome';
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
      <p>
        <Link href={`/tenants/${tenant.slug}`}>← {tenant.name}</Link>
      </p>
      <h1>Members of {tenant.name}</h1>
      <p className="muted">This cross-tenant read is recorded in the platform audit trail.</p>
      {members.length === 0 ? (
        <p>No members yet: people join by invitation from a product app.</p>
      ) : (
        <table data-testid="members">
          <thead>
            <tr>
              <th>Name</th>
              <th>Email</th>
              <th>Role</th>
              <th>Joined</th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.userId}>
                <td>{m.name}</td>
                <td>{m.email}</td>
                <td>{m.role}</td>
                <td>
                  <When at={m.joinedAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}
