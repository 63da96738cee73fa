import { formatAmount, formatDate, formatMoney, formatNumber } from '@studio/ui/format';
import { Table } from '@studio/ui/components';
import { notFound } from 'next/navigation';
import { DeleteForm } from '~/components/form';
import { InvoiceForm } from '~/components/invoice-form';
import { Shell } from '~/components/nav';
import { customerChoices } from '~/lib/customers';
import { findInvoice, findInvoiceLines } from '~/lib/invoices';
import { lineAmountCents } from '~/lib/lines';
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
  const [lines, locale] = await Promise.all([findInvoiceLines(ctx.db, invoice), requestLocale(ctx.tenant)]);
  const money = (cents: number) => formatMoney(cents, invoice.currency, locale);
  return (
    <Shell ctx={ctx}>
      {search.created !== undefined && <p role="status">Invoice created.</p>}
      {search.updated !== undefined && <p role="status">Invoice saved.</p>}
      <h1 data-testid="invoice-number">Invoice {invoice.number}</h1>
      <dl>
        <dt>Customer</dt>
        <dd data-testid="invoice-customer">{invoice.customer}</dd>
        <dt>Status</dt>
        <dd>{invoice.status}</dd>
        <dt>Amount</dt>
        <dd data-testid="invoice-amount">{money(invoice.amountCents)}</dd>
        <dt>Issued</dt>
        <dd data-testid="invoice-issued">
          <time dateTime={invoice.issuedOn}>{formatDate(invoice.issuedOn, locale)}</time>
        </dd>
        <dt>Due</dt>
        <dd data-testid="invoice-due">{invoice.dueOn ? <time dateTime={invoice.dueOn}>{formatDate(invoice.dueOn, locale)}</time> : '-'}</dd>
      </dl>
      <h2>Line items</h2>
      <Table
        data-testid="invoice-lines"
        caption={`The lines of invoice ${invoice.number}`}
        className="max-w-3xl"
        columns={[
          { key: 'description', header: 'Description', className: 'break-words' },
          { key: 'quantity', header: 'Quantity', align: 'end' },
          { key: 'unitPrice', header: 'Unit price', align: 'end' },
          { key: 'amount', header: 'Amount', align: 'end' },
        ]}
        rows={lines.map((line, i) => ({
          key: String(i),
          'data-testid': 'invoice-line',
          cells: {
            description: line.description,
            quantity: formatNumber(line.quantity, locale),
            unitPrice: money(line.unitAmountCents),
            amount: money(lineAmountCents(line)),
          },
        }))}
      />
      <p className="max-w-3xl text-end font-semibold tabular-nums">
        Total <span data-testid="invoice-lines-total">{money(invoice.amountCents)}</span>
      </p>
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
        locale={locale}
        amountExample={formatAmount(9950, locale)}
        invoice={{
          ...invoice,
          lines: lines.map((line) => ({ description: line.description, quantity: String(line.quantity), unitPrice: formatAmount(line.unitAmountCents, locale) })),
        }}
      />
      <h2>Delete</h2>
      <DeleteForm action={deleteInvoice.bind(null, id)} what="this invoice" label="Delete invoice" />
    </Shell>
  );
}
