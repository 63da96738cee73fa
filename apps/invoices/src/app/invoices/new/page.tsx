import Link from 'next/link';
import { InvoiceForm } from '~/components/invoice-form';
import { Shell } from '~/components/nav';
import { formatAmount } from '@studio/ui/format';
import { customerChoices } from '~/lib/customers';
import { requestLocale } from '~/lib/locale';
import { pageContext } from '~/product';
import { createInvoice } from '../actions';

export const metadata = { title: 'New invoice' };

export const dynamic = 'force-dynamic';

export default async function NewInvoice() {
  const ctx = await pageContext('invoices:write', '/invoices/new');
  const [choices, locale] = await Promise.all([customerChoices(ctx.db), requestLocale(ctx.tenant)]);
  return (
    <Shell ctx={ctx}>
      <h1>New invoice</h1>
      {choices.length === 0 ? (
        <p>
          An invoice needs a customer: <Link href="/customers/new">add one first</Link>.
        </p>
      ) : (
        <InvoiceForm action={createInvoice} customers={choices} label="Create invoice" locale={locale} amountExample={formatAmount(9950, locale)} />
      )}
    </Shell>
  );
}
