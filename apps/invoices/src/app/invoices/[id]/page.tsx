import { formatAmount, formatDate, formatMoney } from '@studio/ui/format';
import { notFound } from 'next/navigation';
import { DeleteForm } from '~/components/form';
import { InvoiceForm } from '~/components/invoice-form';
import { TenantNav } from '~/components/nav';
import { customerChoices } from '~/lib/customers';
import { findInvoice } from '~/lib/invoices';
import { requestLocale } from '~/lib/locale';
import { pageContext } from '~/product';
import { deleteInvoice, updateInvoice } from '../actions';

export const metadata = { title: 'Invoice' };

export const dynamic = 'force-dynamic';

/** One invoice of this tenant; another tenant's id is as unknown as a made-up one (404). */
export default async function InvoicePage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, unknown>> }) {
  const { id } = await params;
  const search = await searchParams;
  const ctx = await pageContext('invoices:read', `/invoices/${id}`);
  const [invoice, choices] = await Promise.all([findInvoice(ctx.db, id), customerChoices(ctx.db)]);
  if (!invoice) notFound();
  const locale = await requestLocale(ctx.tenant);
  return (
    <main>
      <TenantNav ctx={ctx} />
      {search.created !== undefined && <p role="status">Invoice created.</p>}
      {search.updated !== undefined && <p role="status">Invoice saved.</p>}
      <h1 data-testid="invoice-number">Invoice {invoice.number}</h1>
      <dl>
        <dt>Customer</dt>
        <dd data-testid="invoice-customer">{invoice.customer}</dd>
        <dt>Status</dt>
        <dd>{invoice.status}</dd>
        <dt>Amount</dt>
        <dd data-testid="invoice-amount">{formatMoney(invoice.amountCents, invoice.currency, locale)}</dd>
        <dt>Issued</dt>
        <dd data-testid="invoice-issued">
          <time dateTime={invoice.issuedOn}>{formatDate(invoice.issuedOn, locale)}</time>
        </dd>
        <dt>Due</dt>
        <dd data-testid="invoice-due">{invoice.dueOn ? <time dateTime={invoice.dueOn}>{formatDate(invoice.dueOn, locale)}</time> : '-'}</dd>
      </dl>
      <p>
        <a href={`/invoices/${id}/pdf`} data-testid="invoice-pdf">
          Download PDF
        </a>
      </p>
      <h2>Edit</h2>
      <InvoiceForm
        action={updateInvoice.bind(null, id)}
        customers={choices}
        label="Save"
        amountExample={formatAmount(9950, locale)}
        invoice={{ ...invoice, amount: formatAmount(invoice.amountCents, locale) }}
      />
      <h2>Delete</h2>
      <DeleteForm action={deleteInvoice.bind(null, id)} what="this invoice" />
    </main>
  );
}
