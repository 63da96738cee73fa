import 'server-only';
import { customers, invoices } from '@studio/db-schema/schema';
import { isUuid, type TenantDb } from '@studio/tenancy';
import { and, eq } from 'drizzle-orm';

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
