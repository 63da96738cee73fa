'use server';

import { randomUUID } from 'node:crypto';
import { invoices } from '@studio/db-schema/schema';
import { audit } from '@studio/tenancy/audit';
import { isUuid } from '@studio/tenancy';
import { eq } from 'drizzle-orm';
import { notFound } from 'next/navigation';
import { tablesChanged } from '~/cache';
import { formValues, parseInput } from '@studio/ui/forms';
import { pgCode, type FormState } from '~/lib/forms';
import { requestLocale } from '~/lib/locale';
import { createInvoiceWithLines, updateInvoiceWithLines } from '~/lib/invoices';
import { invoiceFormInput, invoiceInput, type InvoiceInput } from '~/lib/schemas';
import { pageContext } from '~/product';

/** Postgres' refusals of a valid-looking form, as field errors. */
function refused(error: unknown, values: Record<string, string>, input: InvoiceInput): FormState | null {
  const code = pgCode(error);
  // Composite FK (C2): another tenant's customer id is simply not a customer here.
  if (code === '23503') return { values, fieldErrors: { customerId: 'Choose a customer of this workspace.' } };
  if (code === '23505') return { values, fieldErrors: { number: `Invoice number ${input.number} is already used in this workspace.` } };
  return null;
}

/** The form read in the locale it was shown in (lib/locale.ts), its lines from `lines.<i>.<field>`. */
async function readForm(ctx: { tenant: Parameters<typeof requestLocale>[0] }, form: FormData) {
  const values = formValues(form);
  return parseInput(invoiceInput(await requestLocale(ctx.tenant)), invoiceFormInput(values), values);
}

export async function createInvoice(_previous: FormState, form: FormData): Promise<FormState> {
  const ctx = await pageContext('invoices:write', '/invoices/new');
  const input = await readForm(ctx, form);
  if (!input.ok) return input.state;
  const { values } = input;
  const { lines, ...fields } = input.data;
  const id = randomUUID();
  try {
    // The invoice, its lines and the total computed from them, in one transaction with the audit row.
    await createInvoiceWithLines(ctx.db, id, fields, lines);
  } catch (error) {
    const answer = refused(error, values, input.data);
    if (answer) return answer;
    throw error;
  }
  await tablesChanged(ctx, ['invoices']);
  return { redirectTo: `/invoices/${id}?created=1` };
}

export async function updateInvoice(id: string, _previous: FormState, form: FormData): Promise<FormState> {
  const ctx = await pageContext('invoices:write', `/invoices/${id}`);
  if (!isUuid(id)) notFound();
  const input = await readForm(ctx, form);
  if (!input.ok) return input.state;
  const { values } = input;
  const { lines, ...fields } = input.data;
  let updated: boolean;
  try {
    updated = await updateInvoiceWithLines(ctx.db, id, fields, lines);
  } catch (error) {
    const answer = refused(error, values, input.data);
    if (answer) return answer;
    throw error;
  }
  if (!updated) notFound();
  await tablesChanged(ctx, ['invoices']);
  return { redirectTo: `/invoices/${id}?updated=1` };
}

export async function deleteInvoice(id: string, _previous: FormState, _form: FormData): Promise<FormState> {
  const ctx = await pageContext('invoices:write', `/invoices/${id}`);
  if (!isUuid(id)) notFound();
  const deleted = await ctx.db.transaction(async (tx) => {
    const rows = await tx.delete(invoices).where(eq(invoices.id, id)).returning({ number: invoices.number });
    if (rows.length === 0) return false;
    await audit(tx, { action: 'invoice.delete', target: id, payload: { number: rows[0]!.number } });
    return true;
  });
  if (!deleted) notFound();
  await tablesChanged(ctx, ['invoices']);
  return { redirectTo: '/invoices?deleted=1' };
}
