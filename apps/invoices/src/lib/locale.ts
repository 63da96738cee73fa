import 'server-only';
import type { TenantInfo } from '@studio/tenancy';
import { localeFor } from '@studio/ui/format';
import { headers } from 'next/headers';

export { localeFor };

/**
 * The locale money, dates and numbers are written and read in (@studio/ui/format's localeFor):
 * the tenant's own, else the reader's Accept-Language, else en-US. The currency is always the
 * invoice's own, so a EUR invoice reads '€1,234.50' in en-US and '1.234,50 €' in de-DE. For
 * pages and server actions; the PDF route passes its request's headers to localeFor.
 */
export async function requestLocale(tenant: Pick<TenantInfo, 'locale'> | null | undefined): Promise<string> {
  return localeFor(tenant, await headers());
}
