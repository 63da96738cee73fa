import { customers, invoices, invoiceStatus } from '@studio/db-schema/schema';
import { isUuid } from '@studio/tenancy';
import { containsPattern, decodeCursor, keysetPage, MAX_CURSOR_LENGTH, PAGE_SIZE, searchParam } from '@studio/ui/lists';
import { and, desc, eq, ilike, or, sql } from 'drizzle-orm';
import Link from 'next/link';
import { Pager, TenantNav } from '~/components/nav';
import { formatMoney } from '@studio/ui/format';
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
    <main>
      <TenantNav ctx={ctx} />
      <h1>Invoices</h1>
      {search.deleted && <p role="status">Invoice deleted.</p>}
      <form method="get" data-testid="search">
        <input name="q" defaultValue={q} placeholder="Number or customer" aria-label="Search invoices" />{' '}
        <select name="status" defaultValue={status} aria-label="Status">
          <option value="">any status</option>
          {invoiceStatus.enumValues.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        {customer && <input type="hidden" name="customer" value={customer} />} <button>Search</button>{' '}
        <Link href="/invoices/new">New invoice</Link>
      </form>
      {page.length === 0 ? (
        <p data-testid="empty">{q || status || customer ? 'No invoice matches.' : 'No invoices yet.'}</p>
      ) : (
        <table data-testid="invoices">
          <tbody>
            {page.map((row) => (
              <tr key={row.id}>
                <td>
                  <Link href={`/invoices/${row.id}`} prefetch={false}>{row.number}</Link>
                </td>
                <td>{row.customer}</td>
                <td>{row.status}</td>
                <td style={{ textAlign: 'right' }} data-testid="invoice-row-amount">
                  {formatMoney(row.amountCents, row.currency, locale)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager path="/invoices" params={{ q, status, customer, after: afterText }} next={next} />
    </main>
  );
}
