import { sql } from 'drizzle-orm';
import { check, foreignKey, index, integer, text, uuid } from 'drizzle-orm/pg-core';
import { invoices } from './invoices';
import { tenantTable } from './util/tenant-table';

/**
 * Invoices product: the line items of an invoice. `invoices.amount_cents` stays the stored total
 * (the sum of quantity x unit_amount_cents of its lines), so lists and the dashboard read one
 * column. The quantity is a whole number: every total is then exact in cents, with no rounding
 * rule to agree on between the form, the API, the PDF and the stored total.
 */
export const invoiceLines = tenantTable(
  'invoice_lines',
  {
    invoiceId: uuid('invoice_id').notNull(),
    position: integer('position').notNull(),
    description: text('description').notNull(),
    quantity: integer('quantity').notNull(),
    unitAmountCents: integer('unit_amount_cents').notNull(),
  },
  {
    rls: true,
    // (tenant_id, invoice_id, position) leads with tenant_id and is what every read of lines asks.
    createdAtIndex: false,
    extra: (t) => [
      // Composite (C2): a line can only belong to an invoice of its own tenant.
      foreignKey({
        name: 'invoice_lines_invoice_fkey',
        columns: [t.tenantId, t.invoiceId],
        foreignColumns: [invoices.tenantId, invoices.id],
      }).onDelete('cascade'),
      index('invoice_lines_tenant_invoice_position_idx').on(t.tenantId, t.invoiceId, t.position),
      check('invoice_lines_description_length', sql`char_length(${t.description}) between 1 and 200`),
      check('invoice_lines_quantity_positive', sql`${t.quantity} > 0`),
      check('invoice_lines_unit_amount_nonnegative', sql`${t.unitAmountCents} >= 0`),
      check('invoice_lines_position_nonnegative', sql`${t.position} >= 0`),
    ],
  },
);
