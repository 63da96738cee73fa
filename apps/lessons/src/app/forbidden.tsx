import { NotAllowedPage, SuspendedPage } from '@studio/ui/status-pages';
import { getTenancy } from '~/product';

/**
 * 403: the workspace is suspended (the reason for its members only), or a member whose role lacks
 * what this page needs (or a request that carried an API token).
 */
export default async function Forbidden() {
  const standing = await getTenancy().getStanding();
  if (standing?.suspended) return <SuspendedPage workspace={standing.tenant.name} reason={standing.reason} />;
  return <NotAllowedPage />;
}
