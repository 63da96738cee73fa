import { Card, PageHeader } from '@studio/ui/components';
import Link from 'next/link';
import { CustomerForm } from '~/components/customer-form';
import { Shell } from '~/components/nav';
import { pageContext } from '~/product';
import { createCustomer } from '../actions';

export const metadata = { title: 'New customer' };

export const dynamic = 'force-dynamic';

export default async function NewCustomer() {
  const ctx = await pageContext('customers:write', '/customers/new');
  return (
    <Shell ctx={ctx}>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/customers">Customers</Link>
      </nav>
      <PageHeader title="New customer" description="Who you invoice: a name, and the address invoices go to." />
      <Card className="max-w-2xl">
        <CustomerForm action={createCustomer} label="Add customer" />
      </Card>
    </Shell>
  );
}
