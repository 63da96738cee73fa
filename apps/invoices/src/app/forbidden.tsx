import Link from 'next/link';
import { NotAllowedPage, SuspendedPage } from '@studio/ui/status-pages';
import { getTenancy } from '~/product';
import { connection } from 'next/server';

/**
 * 403: the workspace is suspended (the reason for its members only), or signed in and a member
 * but this needs a permission the member's role does not have (or an API token asked for a page).
 */
export default async function Forbidden() {
  // Per request (never prerendered): it reads the request's tenant and session.
  await connection();
  const standing = await getTenancy().getStanding();
  if (standing?.suspended) return <SuspendedPage workspace={standing.tenant.name} reason={standing.reason} signOutThen={standing.session ? '/sign-in' : undefined} />;
  return (
    <NotAllowedPage>
      <p>
        <Link href="/">Back to the dashboard</Link>
      </p>
    </NotAllowedPage>
  );
}
