import 'server-only';
import { TenantRequestError, type TenantContext } from '@studio/tenancy';
import { notFound, redirect } from 'next/navigation';
import { getTenancy } from './tenancy';

/**
 * getTenantContext() for pages: nobody signed in goes to the sign-in page; anyone who is not a
 * member of this tenant gets a 404, which does not even confirm what this tenant holds.
 */
export async function pageContext(path: string): Promise<TenantContext> {
  try {
    return await getTenancy().getTenantContext();
  } catch (error) {
    if (!TenantRequestError.is(error)) throw error;
    if (error.status === 401) redirect(`/sign-in?next=${encodeURIComponent(path)}`);
    notFound();
  }
}
