'use server';

import { randomUUID } from 'node:crypto';
import { customers } from '@studio/db-schema/schema';
import { audit } from '@studio/tenancy/audit';
import { isUuid } from '@studio/tenancy';
import { eq } from 'drizzle-orm';
import { notFound } from 'next/navigation';
import { tablesChanged } from '~/cache';
import { parseForm } from '@studio/ui/forms';
import { pgCode, type FormState } from '~/lib/forms';
import { customerInput } from '~/lib/schemas';
import { pageContext } from '~/product';

function duplicateEmail(values: Record<string, string>): FormState {
  return { values, fieldErrors: { email: 'Another customer of this workspace already has this email.' } };
}

export async function createCustomer(_previous: FormState, form: FormData): Promise<FormState> {
  const ctx = await pageContext('customers:write', '/customers/new');
  const input = parseForm(customerInput, form);
  if (!input.ok) return input.state;
  const { values } = input;
  const id = randomUUID();
  try {
    await ctx.db
      .audited({ action: 'customer.create', target: id, payload: { name: input.data.name } })
      .insert(customers)
      .values({ id, ...input.data });
  } catch (error) {
    if (pgCode(error) === '23505') return duplicateEmail(values);
    throw error;
  }
  await tablesChanged(ctx, ['customers']);
  return { redirectTo: `/customers?created=${id}` };
}

export async function updateCustomer(id: string, _previous: FormState, form: FormData): Promise<FormState> {
  const ctx = await pageContext('customers:write', `/customers/${id}`);
  if (!isUuid(id)) notFound();
  const input = parseForm(customerInput, form);
  if (!input.ok) return input.state;
  const { values } = input;
  let updated: boolean;
  try {
    // The audit row only when a row changed, in the same transaction.
    updated = await ctx.db.transaction(async (tx) => {
      const rows = await tx.update(customers).set(input.data).where(eq(customers.id, id)).returning({ id: customers.id });
      if (rows.length === 0) return false;
      await audit(tx, { action: 'customer.update', target: id, payload: { name: input.data.name } });
      return true;
    });
  } catch (error) {
    if (pgCode(error) === '23505') return duplicateEmail(values);
    throw error;
  }
  if (!updated) notFound();
  await tablesChanged(ctx, ['customers']);
  return { redirectTo: '/customers?updated=1' };
}

export async function deleteCustomer(id: string, _previous: FormState, _form: FormData): Promise<FormState> {
  const ctx = await pageContext('customers:write', `/customers/${id}`);
  if (!isUuid(id)) notFound();
  let deleted: boolean;
  try {
    deleted = await ctx.db.transaction(async (tx) => {
      const rows = await tx.delete(customers).where(eq(customers.id, id)).returning({ id: customers.id, name: customers.name });
      if (rows.length === 0) return false;
      await audit(tx, { action: 'customer.delete', target: id, payload: { name: rows[0]!.name } });
      return true;
    });
  } catch (error) {
    // invoices_customer_fkey is ON DELETE RESTRICT (23001; 23503 were it NO ACTION): invoices are
    // never lost with their customer.
    if (pgCode(error) === '23001' || pgCode(error) === '23503') return { error: 'This customer has invoices. Delete them (or move them to another customer) first.' };
    throw error;
  }
  if (!deleted) notFound();
  await tablesChanged(ctx, ['customers']);
  return { redirectTo: '/customers?deleted=1' };
}
