import 'server-only';
import { TenantRequestError, type TenantContext } from '@studio/tenancy/request';
import { forbidden, notFound, redirect } from 'next/navigation';
import type { ProductPermission } from './permissions';
import { getTenancy } from './tenancy';

/**
 * The first line of every page and server action: what it needs (a permission of
 * src/permissions.ts, or 'member'). Refuses before any query: not signed in -> the tenant's
 * sign-in page; not a member -> 404; a member without the permission, or a request with an API
 * token (tokens open the JSON API only) -> the 403 page (forbidden.tsx).
 */
export async function pageContext(need: ProductPermission | 'member'): Promise<TenantContext> {
  try {
    return await getTenancy().getTenantContext(need);
  } catch (error) {
    if (!TenantRequestError.is(error)) throw error;
    const tenant = error.status === 401 ? await getTenancy().getTenant() : null;
    if (tenant) redirect(`/t/${tenant.slug}/sign-in`);
    if (error.status === 403 && error.code !== 'NOT_A_MEMBER') forbidden();
    notFound();
  }
}
