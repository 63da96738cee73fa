import 'server-only';
import { TenantRequestError, type TenantContext } from '@studio/tenancy';
import { notFound, redirect } from 'next/navigation';
import { tenantPath } from './paths';
import { getTenancy } from './tenancy';

/**
 * getTenantContext() for pages and server actions: nobody signed in goes to the tenant's sign-in
 * page, then back to `path` (relative to /t/<slug>); anyone who is not a member of this tenant
 * gets a 404, which does not even confirm what this tenant holds.
 */
export async function pageContext(path = '/'): Promise<TenantContext> {
  try {
    return await getTenancy().getTenantContext();
  } catch (error) {
    if (!TenantRequestError.is(error)) throw error;
    const tenant = error.status === 401 ? await getTenancy().getTenant() : null;
    if (tenant) redirect(`/t/${tenant.slug}/sign-in?next=${encodeURIComponent(tenantPath(tenant.slug, path))}`);
    notFound();
  }
}

