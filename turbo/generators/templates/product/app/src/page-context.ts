import 'server-only';
import { TenantRequestError, type TenantContext } from '@studio/tenancy';
import { notFound, redirect } from 'next/navigation';
import { getTenancy } from './tenancy';

/** getTenantContext() for pages: not signed in -> the tenant's sign-in page; not a member -> 404. */
export async function pageContext(): Promise<TenantContext> {
  try {
    return await getTenancy().getTenantContext();
  } catch (error) {
    if (!TenantRequestError.is(error)) throw error;
    const tenant = error.status === 401 ? await getTenancy().getTenant() : null;
    if (tenant) redirect(`/t/${tenant.slug}/sign-in`);
    notFound();
  }
}
