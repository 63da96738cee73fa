import Link from 'next/link';
import { NotAMemberPage, NotFoundPage, SuspendedPage } from '@studio/ui/status-pages';
import { tenantPath } from '~/paths';
import { getAuth, getTenancy } from '~/product';
import { connection } from 'next/server';

/**
 * 404: no such page; or, for a signed-in user who is not a member of this workspace (pageContext
 * answers them 404), whose workspace it is, who they are signed in as, a way to sign out, and
 * their own workspaces (one host serves them all: a link each).
 */
export default async function NotFound() {
  // Per request (never prerendered): it reads the request's tenant and session.
  await connection();
  const standing = await getTenancy().getStanding();
  if (standing?.suspended) return <SuspendedPage workspace={standing.tenant.name} reason={standing.reason} signOutThen={standing.session ? tenantPath(standing.tenant.slug, '/sign-in') : undefined} />;
  if (standing?.session && !standing.membership) {
    const mine = await getAuth().tenantsOf(standing.session.userId);
    return (
      <NotAMemberPage
        workspace={standing.tenant.name}
        email={standing.session.email}
        workspaces={mine.filter((t) => t.status !== 'suspended').map((t) => ({ id: t.id, name: t.name, href: tenantPath(t.slug) }))}
        signOutThen={tenantPath(standing.tenant.slug, '/sign-in')}
      />
    );
  }
  return (
    <NotFoundPage>
      <p>
        <Link href="/">Back to the start</Link>
      </p>
    </NotFoundPage>
  );
}
