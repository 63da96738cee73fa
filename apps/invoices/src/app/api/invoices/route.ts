import { invoices } from '@studio/db-schema/schema';
import { desc } from 'drizzle-orm';
import { getTenancy } from '~/tenancy';

export const dynamic = 'force-dynamic';

/** GET /api/invoices: the tenant's newest invoices, for a member's session or an API token. */
export function GET(request: Request): Promise<Response> {
  return getTenancy().route(async (ctx) => {
    const rows = await ctx.db
      .select({ id: invoices.id, number: invoices.number, status: invoices.status, amountCents: invoices.amountCents, currency: invoices.currency })
      .from(invoices)
      .orderBy(desc(invoices.createdAt))
      .limit(100);
    return Response.json({ tenant: ctx.tenant.slug, invoices: rows });
  })(request);
}
