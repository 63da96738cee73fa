import { randomUUID } from 'node:crypto';
import { invoices, invoiceStatus } from '@studio/db-schema/schema';
import { isUuid } from '@studio/tenancy';
import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { tablesChanged } from '~/cache';
import { createInvoiceWithLines } from '~/lib/invoices';
import { invoiceApiBody } from '~/lib/schemas';
import { getTenancy } from '~/product';

export const dynamic = 'force-dynamic';

const listQuery = z
  .object({
    status: z.enum(invoiceStatus.enumValues).optional(),
    customer: z.string().refine(isUuid, 'customer must be a customer id (a UUID)').optional(),
    limit: z.coerce.number().int('limit must be a whole number').min(1, 'limit is at least 1').max(100, 'limit is at most 100').default(100),
  })
  .strict();

function inputError(message: string, status = 400): Response {
  return Response.json({ error: { code: 'INVOICE_INPUT', message } }, { status });
}

function describe(error: z.ZodError): string {
  // A line's problem names the line: 'lines.2: quantity is at least 1'.
  const where = (path: readonly PropertyKey[]) => (path[0] === 'lines' && path.length > 1 ? `lines.${String(path[1])}: ` : '');
  return error.issues
    .map((issue) => where(issue.path) + (issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message))
    .join('; ');
}

/** GET /api/v1/invoices[?status=&customer=&limit=]: the tenant's newest invoices, for a member's session or an API token with invoices:read. */
export function GET(request: Request): Promise<Response> {
  return getTenancy().api('invoices:read', async (ctx) => {
    const query = listQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!query.success) return inputError(describe(query.error));
    const { status, customer, limit } = query.data;
    const rows = await ctx.db
      .select({ id: invoices.id, number: invoices.number, status: invoices.status, amountCents: invoices.amountCents, currency: invoices.currency })
      .from(invoices)
      .where(and(status ? eq(invoices.status, status) : undefined, customer ? eq(invoices.customerId, customer) : undefined))
      .orderBy(desc(invoices.createdAt))
      .limit(limit);
    return Response.json({ tenant: ctx.tenant.slug, invoices: rows });
  })(request);
}

/**
 * POST /api/v1/invoices {customerId, number, lines: [{description, quantity, unitAmountCents}],
 * currency?, status?, dueOn?, notes?}: a new invoice with its lines and their total, audited, in
 * one transaction; needs invoices:write. `amountCents` instead of `lines` (the form before line
 * items) still works: one line "Invoice total".
 */
export function POST(request: Request): Promise<Response> {
  return getTenancy().api('invoices:write', async (ctx) => {
    const json: unknown = await request.json().catch(() => undefined);
    if (json === undefined) return inputError('The body must be JSON: {"customerId", "number", "lines": [{"description", "quantity", "unitAmountCents"}], ...}.');
    const body = invoiceApiBody.safeParse(json);
    if (!body.success) return inputError(describe(body.error));
    const { fields, lines } = body.data;
    const id = randomUUID();
    try {
      await createInvoiceWithLines(ctx.db, id, fields, lines);
    } catch (error) {
      // Postgres' own answers, in words: another tenant's customer is simply not found (C2).
      const code = (error as { code?: string }).code;
      if (code === '23503') return inputError('customerId is not a customer of this tenant.', 422);
      if (code === '23505') return inputError(`Invoice number ${JSON.stringify(fields.number)} is already used in this tenant.`, 409);
      throw error;
    }
    await tablesChanged(ctx, ['invoices']);
    const invoice = { id, number: fields.number, status: fields.status, amountCents: fields.amountCents, currency: fields.currency };
    return Response.json({ invoice: { ...invoice, lines } }, { status: 201 });
  })(request);
}
