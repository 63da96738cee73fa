import { customers } from '@studio/db-schema/schema';
import { isUuid } from '@studio/tenancy';
import { eq } from 'drizzle-orm';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { CustomerForm } from '~/components/customer-form';
import { DeleteForm } from '~/components/form';
import { Shell } from '~/components/nav';
import { pageContext } from '~/product';
import { deleteCustomer, updateCustomer } from '../actions';

export const metadata = { title: 'Customer' };

export const dynamic = 'force-dynamic';

/** One customer of this tenant, to edit or delete; another tenant's id is a 404 like a made-up one. */
export default async function CustomerPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await pageContext('customers:read', `/customers/${id}`);
  if (!isUuid(id)) notFound();
  const [customer] = await ctx.db.select({ name: customers.name, email: customers.email }).from(customers).where(eq(customers.id, id)).limit(1);
  if (!customer) notFound();
  return (
    <Shell ctx={ctx}>
      <h1 data-testid="customer-name">{customer.name}</h1>
      <p>
        <Link href={`/invoices?customer=${id}`}>Invoices of this customer</Link>
      </p>
      <CustomerForm action={updateCustomer.bind(null, id)} customer={customer} label="Save" />
      <h2>Delete</h2>
      <DeleteForm action={deleteCustomer.bind(null, id)} what="this customer" />
    </Shell>
  );
}
