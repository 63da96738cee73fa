import { Shell } from '~/components/nav';
import { CustomerForm } from '~/components/customer-form';
import { pageContext } from '~/product';
import { createCustomer } from '../actions';

export const metadata = { title: 'New customer' };

export const dynamic = 'force-dynamic';

export default async function NewCustomer() {
  const ctx = await pageContext('customers:write', '/customers/new');
  return (
    <Shell ctx={ctx}>
      <h1>New customer</h1>
      <CustomerForm action={createCustomer} label="Add customer" />
    </Shell>
  );
}
