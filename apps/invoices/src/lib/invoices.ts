import 'server-only';
import { customers, invoiceLines, invoices, type invoiceStatus } from '@studio/db-schema/schema';
import { isUuid, type TenantDb } from '@studio/tenancy';
import { audit } from '@studio/tenancy/audit';
import { and, asc, eq } from 'drizzle-orm';
import { TOTAL_LINE_DESCRIPTION } from './schemas';

/** One invoice of the client's tenant with its customer, or null (not an id, or not this tenant's). */
export async function findInvoice(db: TenantDb, id: string) {
  if (!isUuid(id)) return null;
  const [row] = await db
    .select({
      id: invoices.id,
      customerId: invoices.customerId,
      number: invoices.number,
      status: invoices.status,
      amountCents: invoices.amountCents,
      currency: invoices.currency,
      issuedOn: invoices.issuedOn,
      dueOn: invoices.dueOn,
      notes: invoices.notes,
      customer: customers.name,
      customerEmail: customers.email,
    })
    .from(invoices)
    .innerJoin(customers, and(eq(customers.tenantId, invoices.tenantId), eq(customers.id, invoices.customerId)))
    .where(eq(invoices.id, id))
    .limit(1);
  return row ?? null;
}

export interface InvoiceLine {
  description: string;
  quantity: number;
  unitAmountCents: number;
}


/**
 * The lines of one invoice of the client's tenant, in order. An invoice without lines (made
 * before line items, and not yet backfilled: `invoice-lines-from-total`) reads as one line, its
 * stored total, so every page and PDF shows lines that add up to amount_cents.
 */
export async function findInvoiceLines(db: TenantDb, invoice: { id: string; amountCents: number }): Promise<InvoiceLine[]> {
  const rows = await db
    .select({ description: invoiceLines.description, quantity: invoiceLines.quantity, unitAmountCents: invoiceLines.unitAmountCents })
    .from(invoiceLines)
    .where(eq(invoiceLines.invoiceId, invoice.id))
    .orderBy(asc(invoiceLines.position));
  return rows.length > 0 ? rows : [{ description: TOTAL_LINE_DESCRIPTION, quantity: 1, unitAmountCents: invoice.amountCents }];
}

/** An invoice's fields as its row: the total (computed from the lines, never taken as given) in amount_cents. */
export interface InvoiceFields {
  customerId: string;
  number: string;
  amountCents: number;
  currency: string;
  status: (typeof invoiceStatus.enumValues)[number];
  dueOn?: string | null;
  notes?: string | null;
}

const lineRows = (invoiceId: string, lines: readonly InvoiceLine[]) => lines.map((line, position) => ({ invoiceId, position, ...line }));

/**
 * A new invoice with its lines and its audit row, in one transaction: amount_cents is the sum of
 * the lines, written with them. Postgres' refusals (23503: another tenant's customer; 23505: a
 * number in use) reach the caller, which answers them in words.
 */
export async function createInvoiceWithLines(db: TenantDb, id: string, fields: InvoiceFields, lines: readonly InvoiceLine[]): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.insert(invoices).values({ id, ...fields });
    await tx.insert(invoiceLines).values(lineRows(id, lines));
    await audit(tx, { action: 'invoice.create', target: id, payload: { number: fields.number, amountCents: fields.amountCents, lines: lines.length } });
  });
}

/** Replaces an invoice's fields and lines in one transaction; false when the tenant has no such invoice. */
export async function updateInvoiceWithLines(db: TenantDb, id: string, fields: InvoiceFields, lines: readonly InvoiceLine[]): Promise<boolean> {
  return db.transaction(async (tx) => {
    const rows = await tx.update(invoices).set(fields).where(eq(invoices.id, id)).returning({ id: invoices.id });
    if (rows.length === 0) return false;
    await tx.delete(invoiceLines).where(eq(invoiceLines.invoiceId, id));
    await tx.insert(invoiceLines).values(lineRows(id, lines));
    await audit(tx, {
      action: 'invoice.update',
      target: id,
      payload: { number: fields.number, amountCents: fields.amountCents, status: fields.status, lines: lines.length },
    });
    return true;
  });
}
