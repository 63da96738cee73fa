import 'server-only';
import { TenantRequestError, type TenantContext } from '@studio/tenancy/request';
import { forbidden, notFound, redirect } from 'next/navigation';
import type { LessonsPermission } from './permissions';
import { tenantPath } from './paths';
import { getTenancy } from './tenancy';

/**
 * The first line of every page and server action: what it needs (a permission of
 * src/permissions.ts, or 'member') and the path (relative to /t/<slug>) to come back to after
 * signing in. Refuses before any query: nobody signed in goes to the tenant's sign-in page;
 * anyone who is not a member of this tenant gets a 404, which does not even confirm what this
 * tenant holds; a member without the permission, or a request with an API token, the 403 page.
 */
export async function pageContext(need: LessonsPermission | 'member', path = '/'): Promise<TenantContext> {
  try {
    return await getTenancy().getTenantContext(need);
  } catch (error) {
    if (!TenantRequestError.is(error)) throw error;
    const tenant = error.status === 401 ? await getTenancy().getTenant() : null;
    if (tenant) redirect(`/t/${tenant.slug}/sign-in?next=${encodeURIComponent(tenantPath(tenant.slug, path))}`);
    if (error.status === 403 && error.code !== 'NOT_A_MEMBER') forbidden();
    notFound();
  }
}
