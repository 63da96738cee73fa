import { customers } from '@studio/db-schema/schema';
import { isUuid } from '@studio/tenancy';
import { containsPattern, decodeCursor, keysetPage, MAX_CURSOR_LENGTH, PAGE_SIZE, searchParam } from '@studio/ui/lists';
import { and, asc, ilike, or, sql } from 'drizzle-orm';
import { can } from '@studio/tenancy/request';
import { buttonClass, EmptyState, Notice, PageHeader, Table } from '@studio/ui/components';
import Link from 'next/link';
import { Pager, Shell } from '~/components/nav';
import { pageContext } from '~/product';

export const metadata = { title: 'Customers' };

export const dynamic = 'force-dynamic';

type Search = Promise<Record<string, string | string[] | undefined>>;

/** The tenant's customers by name, searchable by name or email, a page at a time. */
export default async function Customers({ searchParams }: { searchParams: Search }) {
  const search = await searchParams;
  const ctx = await pageContext('customers:read', '/customers');
  const q = searchParam(search.q);
  const afterText = searchParam(search.after, MAX_CURSOR_LENGTH);
  // A made-up cursor is the first page, not a cast error from Postgres (a 500).
  const after = decodeCursor(afterText, [() => true, isUuid]);
  const rows = await ctx.db
    .select({ id: customers.id, name: customers.name, email: customers.email })
    .from(customers)
    .where(
      and(
        q ? or(ilike(customers.name, containsPattern(q)), ilike(customers.email, containsPattern(q))) : undefined,
        after ? sql`(${customers.name}, ${customers.id}) > (${after[0]}, ${after[1]}::uuid)` : undefined,
      ),
    )
    .orderBy(asc(customers.name), asc(customers.id))
    .limit(PAGE_SIZE + 1);
  const { items: page, nextCursor: next } = keysetPage(rows, PAGE_SIZE, (row) => [row.name, row.id]);
  const notice = search.created ? 'Customer added.' : search.updated ? 'Customer saved.' : search.deleted ? 'Customer deleted.' : null;
  const writes = can(ctx, 'customers:write');
  const add = writes && (
    <Link href="/customers/new" className={buttonClass('primary')}>
      New customer
    </Link>
  );
  return (
    <Shell ctx={ctx}>
      <PageHeader title="Customers" description="Who you invoice, by name." actions={add} />
      {notice && (
        <Notice tone="success" role="status" data-testid="notice">
          {notice}
        </Notice>
      )}
      <form method="get" data-testid="search" role="search" className="mb-4 flex max-w-xl gap-2">
        <input name="q" type="search" defaultValue={q} placeholder="Name or email" aria-label="Search customers" className="min-w-0 flex-1" />
        <button className={buttonClass('secondary')}>Search</button>
      </form>
      <Table
        caption="Customers"
        data-testid="customers"
        columns={[
          { key: 'name', header: 'Name' },
          { key: 'email', header: 'Email' },
        ]}
        rows={page.map((row) => ({
          key: row.id,
          cells: {
            name: (
              <Link href={`/customers/${row.id}`} prefetch={false} className="font-medium">
                {row.name}
              </Link>
            ),
            email: row.email ? <span className="break-all">{row.email}</span> : <span className="text-muted">—</span>,
          },
        }))}
        empty={
          q ? (
            <EmptyState title={`No customer matches “${q}”`} data-testid="empty" action={<Link href="/customers" className={buttonClass('secondary')}>Show all customers</Link>}>
              Search looks in names and email addresses.
            </EmptyState>
          ) : (
            <EmptyState title="No customers yet" data-testid="empty" action={add}>
              Add the people and companies you invoice; invoices are made for a customer.
            </EmptyState>
          )
        }
      />
      <Pager path="/customers" params={{ q, after: afterText }} next={next} />
    </Shell>
  );
}
