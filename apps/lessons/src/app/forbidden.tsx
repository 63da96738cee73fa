import { NotAllowedPage, SuspendedPage } from '@studio/ui/status-pages';
import { tenantPath } from '~/paths';
import { getTenancy } from '~/product';
import { connection } from 'next/server';

/**
 * 403: the workspace is suspended (the reason for its members only), or a member whose role lacks
 * what this page needs (or a request that carried an API token).
 */
export default async function Forbidden() {
  // Per request (never prerendered): it reads the request's tenant and session.
  await connection();
  const standing = await getTenancy().getStanding();
  if (standing?.suspended) return <SuspendedPage workspace={standing.tenant.name} reason={standing.reason} signOutThen={standing.session ? tenantPath(standing.tenant.slug, '/sign-in') : undefined} />;
  return <NotAllowedPage />;
}
