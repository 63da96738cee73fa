import { randomUUID } from 'node:crypto';
import { invoices, invoiceStatus } from '@studio/db-schema/schema';
import { isUuid } from '@studio/tenancy';
import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { tablesChanged } from '~/cache';
import { getTenancy } from '~/product';

export const dynamic = 'force-dynamic';

const listQuery = z
  .object({
    status: z.enum(invoiceStatus.enumValues).optional(),
    customer: z.string().refine(isUuid, 'customer must be a customer id (a UUID)').optional(),
    limit: z.coerce.number().int('limit must be a whole number').min(1, 'limit is at least 1').max(100, 'limit is at most 100').default(100),
  })
  .strict();

const createBody = z
  .object({
    customerId: z.string().refine(isUuid, 'customerId must be a customer id (a UUID)'),
    number: z.string().trim().min(1, 'number is required').max(40, 'number is at most 40 characters'),
    amountCents: z.number().int('amountCents must be a whole number of cents').min(0, 'amountCents cannot be negative').max(2_000_000_000, 'amountCents is at most 2,000,000,000'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'currency is a three-letter ISO code such as USD').default('USD'),
    status: z.enum(invoiceStatus.enumValues).default('draft'),
    dueOn: z.iso.date('dueOn is a date, YYYY-MM-DD').optional(),
    notes: z.string().max(2000, 'notes are at most 2,000 characters').optional(),
  })
  .strict();

function inputError(message: string, status = 400): Response {
  return Response.json({ error: { code: 'INVOICE_INPUT', message } }, { status });
}

function describe(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message)).join('; ');
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

/** POST /api/v1/invoices {customerId, number, amountCents, currency?, status?, dueOn?, notes?}: a new invoice, audited; needs invoices:write. */
export function POST(request: Request): Promise<Response> {
  return getTenancy().api('invoices:write', async (ctx) => {
    const json: unknown = await request.json().catch(() => undefined);
    if (json === undefined) return inputError('The body must be JSON: {"customerId", "number", "amountCents", ...}.');
    const body = createBody.safeParse(json);
    if (!body.success) return inputError(describe(body.error));
    const id = randomUUID();
    try {
      const [created] = await ctx.db
        .audited({ action: 'invoice.create', target: id, payload: { number: body.data.number, amountCents: body.data.amountCents } })
        .insert(invoices)
        .values({ id, ...body.data })
        .returning({ id: invoices.id, number: invoices.number, status: invoices.status, amountCents: invoices.amountCents, currency: invoices.currency });
      await tablesChanged(ctx, ['invoices']);
      return Response.json({ invoice: created }, { status: 201 });
    } catch (error) {
      // Postgres' own answers, in words: another tenant's customer is simply not found (C2).
      const code = (error as { code?: string }).code;
      if (code === '23503') return inputError('customerId is not a customer of this tenant.', 422);
      if (code === '23505') return inputError(`Invoice number ${JSON.stringify(body.data.number)} is already used in this tenant.`, 409);
      throw error;
    }
  })(request);
}
