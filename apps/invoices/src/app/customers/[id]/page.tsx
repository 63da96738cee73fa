import { customers } from '@studio/db-schema/schema';
import { isUuid } from '@studio/tenancy';
import { can } from '@studio/tenancy/request';
import { buttonClass, Card, PageHeader } from '@studio/ui/components';
import { eq } from 'drizzle-orm';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { CustomerForm } from '~/components/customer-form';
import { Shell } from '~/components/nav';
import { pageContext } from '~/product';
import { deleteCustomer, updateCustomer } from '../actions';
import { DeleteCustomer } from './delete-customer';

export const metadata = { title: 'Customer' };

export const dynamic = 'force-dynamic';

/** One customer of this tenant, to edit or delete; another tenant's id is a 404 like a made-up one. */
export default async function CustomerPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await pageContext('customers:read', `/customers/${id}`);
  if (!isUuid(id)) notFound();
  const [customer] = await ctx.db.select({ name: customers.name, email: customers.email }).from(customers).where(eq(customers.id, id)).limit(1);
  if (!customer) notFound();
  const writes = can(ctx, 'customers:write');
  return (
    <Shell ctx={ctx}>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/customers">Customers</Link>
      </nav>
      <PageHeader
        title={<span data-testid="customer-name">{customer.name}</span>}
        description={customer.email ?? 'No billing address'}
        actions={
          <Link href={`/invoices?customer=${id}`} className={buttonClass('secondary')}>
            Invoices of this customer
          </Link>
        }
      />
      {writes ? (
        <div className="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
          <Card title="Details" className="min-w-0">
            <CustomerForm action={updateCustomer.bind(null, id)} customer={customer} label="Save" />
          </Card>
          <Card title="Delete" className="min-w-0 self-start">
            <p className="mt-0 text-sm text-muted">A customer with invoices cannot be deleted: delete or move their invoices first.</p>
            <DeleteCustomer action={deleteCustomer.bind(null, id)} name={customer.name} />
          </Card>
        </div>
      ) : (
        <Card title="Details">
          <dl className="m-0 grid gap-1 text-sm">
            <dt className="text-muted">Name</dt>
            <dd className="m-0">{customer.name}</dd>
            <dt className="text-muted">Email</dt>
            <dd className="m-0">{customer.email ?? '—'}</dd>
          </dl>
        </Card>
      )}
    </Shell>
  );
}
