import { refusal } from '@studio/tenancy/next';
import { invoicePdf } from '~/lib/invoice-pdf';
import { findInvoice, findInvoiceLines } from '~/lib/invoices';
import { localeFor } from '~/lib/locale';
import { getQuotas } from '~/quotas';
import { getTenancy } from '~/product';

export const dynamic = 'force-dynamic';

// A page for a browser following the link, JSON for anything else.
const notFound = (request: Request) => refusal({ status: 404, code: 'NOT_FOUND', message: 'No such invoice in this workspace.' }, request);

/** GET /invoices/<id>/pdf: the invoice as a PDF in the tenant's name and colour (rate-limited per tenant). */
export function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  return getTenancy().route('invoices:read', async (ctx) => {
    const { id } = await params;
    const row = await findInvoice(ctx.db, id);
    if (!row) return notFound(request);
    // Throws QuotaExceededError: route() answers 429 with Retry-After (a page saying when, for a browser).
    await getQuotas().consume(ctx, 'pdf');
    const lines = await findInvoiceLines(ctx.db, row);
    const body = await invoicePdf({
      tenant: { name: ctx.tenant.name, primaryColor: ctx.tenant.branding?.primaryColor ?? '#2563eb' },
      invoice: row,
      customer: { name: row.customer, email: row.customerEmail },
      lines,
      locale: localeFor(ctx.tenant, request.headers),
    });
    const file = `${ctx.tenant.slug}-invoice-${row.number.replace(/[^A-Za-z0-9._-]/g, '_')}.pdf`;
    return new Response(Buffer.from(body), {
      headers: { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="${file}"`, 'cache-control': 'private, no-store' },
    });
  })(request);
}
