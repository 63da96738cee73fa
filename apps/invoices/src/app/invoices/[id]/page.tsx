import { customers, invoices } from '@studio/db-schema/schema';
import { and, eq } from 'drizzle-orm';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { pageContext } from '~/page-context';

export const dynamic = 'force-dynamic';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One invoice of this tenant; another tenant's id is as unknown as a made-up one (404). */
export default async function InvoicePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await pageContext(`/invoices/${id}`);
  if (!UUID.test(id)) notFound();
  const [invoice] = await ctx.db
    .select({
      id: invoices.id,
      number: invoices.number,
      status: invoices.status,
      amountCents: invoices.amountCents,
      currency: invoices.currency,
      issuedOn: invoices.issuedOn,
      dueOn: invoices.dueOn,
      customer: customers.name,
    })
    .from(invoices)
    .innerJoin(customers, and(eq(customers.tenantId, invoices.tenantId), eq(customers.id, invoices.customerId)))
    .where(eq(invoices.id, id))
    .limit(1);
  if (!invoice) notFound();
  return (
    <main>
      <p>
        <Link href="/">{ctx.tenant.name}</Link>
      </p>
      <h1 data-testid="invoice-number">Invoice {invoice.number}</h1>
      <dl>
        <dt>Customer</dt>
        <dd data-testid="invoice-customer">{invoice.customer}</dd>
        <dt>Status</dt>
        <dd>{invoice.status}</dd>
        <dt>Amount</dt>
        <dd>
          {(invoice.amountCents / 100).toFixed(2)} {invoice.currency}
        </dd>
        <dt>Issued</dt>
        <dd>{invoice.issuedOn ?? '-'}</dd>
        <dt>Due</dt>
        <dd>{invoice.dueOn ?? '-'}</dd>
      </dl>
    </main>
  );
}
