import 'server-only';
import type { TenantInfo } from '@studio/tenancy';
import { localeFromAcceptLanguage, safeLocale } from '@studio/ui/format';
import { headers } from 'next/headers';

/**
 * The locale money, dates and numbers are written and read in (@studio/ui/format).
 *
 * The rule: the tenant's own locale if its record ever has one (the tenants table has none today,
 * and adding it is a migration of its own); else the first language of the request's
 * Accept-Language that Intl supports; else en-US. The currency is always the invoice's own, so a
 * EUR invoice reads '€1,234.50' to someone whose browser asks for English and '1.234,50 €' in
 * German. The same rule serves the page that shows an amount and the action that reads it back
 * from the form (the browser sends the same Accept-Language), and the PDF of whoever downloads it.
 */
export function localeFor(tenant: Pick<TenantInfo, 'id'> | null | undefined, requestHeaders: Pick<Headers, 'get'>): string {
  const own = (tenant as { locale?: unknown } | null | undefined)?.locale;
  if (typeof own === 'string' && own) return safeLocale(own);
  return localeFromAcceptLanguage(requestHeaders.get('accept-language'));
}

/** localeFor with this request's headers (pages and server actions). */
export async function requestLocale(tenant: Pick<TenantInfo, 'id'> | null | undefined): Promise<string> {
  return localeFor(tenant, await headers());
}
