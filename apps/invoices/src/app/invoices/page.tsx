import { customers, invoices, invoiceStatus } from '@studio/db-schema/schema';
import { isUuid } from '@studio/tenancy';
import { containsPattern, decodeCursor, keysetPage, MAX_CURSOR_LENGTH, PAGE_SIZE, searchParam } from '@studio/ui/lists';
import { and, desc, eq, ilike, or, sql } from 'drizzle-orm';
import Link from 'next/link';
import { InvoiceTable } from '~/components/invoice-table';
import { can } from '@studio/tenancy/request';
import { buttonClass, EmptyState, Notice, PageHeader } from '@studio/ui/components';
import { Pager, Shell } from '~/components/nav';
import { requestLocale } from '~/lib/locale';
import { pageContext } from '~/product';

export const metadata = { title: 'Invoices' };

export const dynamic = 'force-dynamic';

type Search = Promise<Record<string, string | string[] | undefined>>;
type Status = (typeof invoiceStatus.enumValues)[number];

/** created_at to the microsecond, as text: the keyset cursor must not lose what a JS Date drops. */
const createdMicros = sql<string>`(extract(epoch from ${invoices.createdAt}) * 1000000)::bigint::text`;

/** The tenant's invoices, newest first (the (tenant_id, created_at) index), searchable, a page at a time. */
export default async function Invoices({ searchParams }: { searchParams: Search }) {
  const search = await searchParams;
  const ctx = await pageContext('invoices:read', '/invoices');
  const locale = await requestLocale(ctx.tenant);
  const q = searchParam(search.q);
  const status = (invoiceStatus.enumValues as readonly string[]).includes(searchParam(search.status)) ? (searchParam(search.status) as Status) : '';
  const customer = isUuid(searchParam(search.customer)) ? searchParam(search.customer) : '';
  const afterText = searchParam(search.after, MAX_CURSOR_LENGTH);
  // A made-up cursor is the first page, not a cast error from Postgres (a 500).
  const validAfter = decodeCursor(afterText, [(micros) => /^\d{1,18}$/.test(micros), isUuid]);
  const rows = await ctx.db
    .select({
      id: invoices.id,
      number: invoices.number,
      status: invoices.status,
      amountCents: invoices.amountCents,
      currency: invoices.currency,
      customer: customers.name,
      micros: createdMicros,
    })
    .from(invoices)
    .innerJoin(customers, and(eq(customers.tenantId, invoices.tenantId), eq(customers.id, invoices.customerId)))
    .where(
      and(
        q ? or(ilike(invoices.number, containsPattern(q)), ilike(customers.name, containsPattern(q))) : undefined,
        status ? eq(invoices.status, status) : undefined,
        customer ? eq(invoices.customerId, customer) : undefined,
        validAfter
          ? sql`(${invoices.createdAt}, ${invoices.id}) < (timestamptz 'epoch' + ${validAfter[0]}::bigint * interval '1 microsecond', ${validAfter[1]}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(invoices.createdAt), desc(invoices.id))
    .limit(PAGE_SIZE + 1);
  const { items: page, nextCursor: next } = keysetPage(rows, PAGE_SIZE, (row) => [row.micros, row.id]);
  return (
    <Shell ctx={ctx}>
      <PageHeader
        title="Invoices"
        description="Newest first. Search by number or customer."
        actions={
          can(ctx, 'invoices:write') && (
            <Link href="/invoices/new" className={buttonClass('primary')}>
              New invoice
            </Link>
          )
        }
      />
      {search.deleted && (
        <Notice tone="success" role="status" data-testid="notice">
          Invoice deleted.
        </Notice>
      )}
      <form method="get" data-testid="search" role="search" className="mb-4 flex max-w-2xl flex-wrap gap-2">
        <input name="q" type="search" defaultValue={q} placeholder="Number or customer" aria-label="Search invoices" className="mt-0 min-w-0 flex-[2_1_12rem]" />
        <select name="status" defaultValue={status} aria-label="Status" className="mt-0 min-w-0 flex-[1_1_8rem]">
          <option value="">Any status</option>
          {invoiceStatus.enumValues.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        {customer && <input type="hidden" name="customer" value={customer} />}
        <button className={buttonClass('secondary')}>Search</button>
      </form>
      <InvoiceTable
        caption="Invoices"
        withCustomer
        rows={page}
        locale={locale}
        empty={
          <EmptyState title={q || status || customer ? 'No invoice matches.' : 'No invoices yet.'} data-testid="empty">
            {q || status || customer ? 'Try another search, or clear it.' : 'Invoices you create appear here, newest first.'}
          </EmptyState>
        }
      />
      <Pager path="/invoices" params={{ q, status, customer, after: afterText }} next={next} />
    </Shell>
  );
}
