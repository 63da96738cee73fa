import 'server-only';
import { TenantRequestError, type TenantContext } from '@studio/tenancy/request';
import { forbidden, notFound, redirect } from 'next/navigation';
import type { InvoicesPermission } from './permissions';
import { getTenancy } from './tenancy';

/**
 * The first line of every page and server action: what it needs (a permission of
 * src/permissions.ts, or 'member'), and the path to come back to after signing in. Refuses
 * before any query: nobody signed in goes to the sign-in page; anyone who is not a member of this
 * tenant gets a 404, which does not even confirm what this tenant holds; a member without the
 * permission, or a request carrying an API token (tokens open the JSON API only), the 403 page.
 */
export async function pageContext(need: InvoicesPermission | 'member', path: string): Promise<TenantContext> {
  try {
    return await getTenancy().getTenantContext(need);
  } catch (error) {
    if (!TenantRequestError.is(error)) throw error;
    if (error.status === 401) redirect(`/sign-in?next=${encodeURIComponent(path)}`);
    if (error.status === 403 && error.code !== 'NOT_A_MEMBER') forbidden();
    notFound();
  }
}
