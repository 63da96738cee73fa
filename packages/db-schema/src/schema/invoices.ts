import { sql } from 'drizzle-orm';
import { check, date, foreignKey, index, integer, pgEnum, text, unique, uuid } from 'drizzle-orm/pg-core';
import { customers } from './customers';
import { updatedAt } from './util/columns';
import { tenantTable } from './util/tenant-table';

export const invoiceStatus = pgEnum('invoice_status', ['draft', 'sent', 'paid', 'void']);

/** Invoices product. */
export const invoices = tenantTable(
  'invoices',
  {
    customerId: uuid('customer_id').notNull(),
    number: text('number').notNull(),
    status: invoiceStatus('status').notNull().default('draft'),
    amountCents: integer('amount_cents').notNull(),
    currency: text('currency').notNull().default('USD'),
    issuedOn: date('issued_on', { mode: 'string' }).notNull().defaultNow(),
    dueOn: date('due_on', { mode: 'string' }),
    notes: text('notes'),
    updatedAt: updatedAt(),
  },
  {
    rls: true,
    extra: (t) => [
      unique('invoices_tenant_number_key').on(t.tenantId, t.number),
      // Composite (C2): an invoice can only point at a customer of its own tenant.
      foreignKey({
        name: 'invoices_customer_fkey',
        columns: [t.tenantId, t.customerId],
        foreignColumns: [customers.tenantId, customers.id],
      }).onDelete('restrict'),
      index('invoices_tenant_customer_idx').on(t.tenantId, t.customerId),
      check('invoices_amount_nonnegative', sql`${t.amountCents} >= 0`),
    ],
  },
);
