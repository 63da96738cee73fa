import 'server-only';
import type { TenantDb, TenantInfo } from '@studio/tenancy';
import { openSupportGrants } from '@studio/tenancy/audit';
import { localeFor } from '@studio/ui/format';
import { SupportBanner } from '@studio/ui/support-banner';
import { headers } from 'next/headers';

/**
 * The support-access banner of a signed-in member's page (issue 23 item 4): nothing unless a
 * platform admin's break-glass grant is open on the tenant; then who, why, until when, read-only
 * or with writes. Read from the tenant's own audit trail through `ctx.db` (openSupportGrants):
 * the product role reads no platform table. Drop into a layout or page that has a context:
 * `<SupportAccessBanner ctx={ctx} />`.
 */
export async function SupportAccessBanner({ ctx, auditHref }: { ctx: { db: TenantDb; tenant: TenantInfo }; auditHref?: string }) {
  const [grants, requestHeaders] = await Promise.all([openSupportGrants(ctx.db), headers()]);
  return <SupportBanner grants={grants} locale={localeFor(ctx.tenant, requestHeaders)} auditHref={auditHref} />;
}
