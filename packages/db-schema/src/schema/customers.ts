import { text, unique } from 'drizzle-orm/pg-core';
import { updatedAt } from './util/columns';
import { tenantTable } from './util/tenant-table';

/** Invoices product. */
export const customers = tenantTable(
  'customers',
  {
    name: text('name').notNull(),
    email: text('email'),
    updatedAt: updatedAt(),
  },
  {
    rls: true,
    // Unique per tenant: a global unique email would tell one tenant that another has this customer.
    extra: (t) => [unique('customers_tenant_email_key').on(t.tenantId, t.email)],
  },
);
