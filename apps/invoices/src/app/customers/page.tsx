import { customers } from '@studio/db-schema/schema';
import { isUuid } from '@studio/tenancy';
import { and, asc, ilike, or, sql } from 'drizzle-orm';
import Link from 'next/link';
import { Pager, TenantNav } from '~/components/nav';
import { containsPattern, decodeCursor, encodeCursor, PAGE_SIZE, param } from '~/lib/lists';
import { pageContext } from '~/product';

export const dynamic = 'force-dynamic';

type Search = Promise<Record<string, string | string[] | undefined>>;

/** The tenant's customers by name, searchable by name or email, a page at a time. */
export default async function Customers({ searchParams }: { searchParams: Search }) {
  const search = await searchParams;
  const ctx = await pageContext('customers:read', '/customers');
  const q = param(search.q);
  // A made-up cursor is the first page, not a cast error from Postgres (a 500).
  const cursor = decodeCursor(param(search.after, 2000), 2);
  const after = cursor && isUuid(cursor[1]) ? cursor : null;
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
  const page = rows.slice(0, PAGE_SIZE);
  const last = page.at(-1);
  const next = rows.length > PAGE_SIZE && last ? encodeCursor([last.name, last.id]) : null;
  const notice = search.created ? 'Customer added.' : search.updated ? 'Customer saved.' : search.deleted ? 'Customer deleted.' : null;
  return (
    <main>
      <TenantNav ctx={ctx} />
      <h1>Customers</h1>
      {notice && <p role="status">{notice}</p>}
      <form method="get" data-testid="search">
        <input name="q" defaultValue={q} placeholder="Name or email" aria-label="Search customers" /> <button>Search</button>{' '}
        <Link href="/customers/new">New customer</Link>
      </form>
      {page.length === 0 ? (
        <p data-testid="empty">{q ? `No customer matches “${q}”.` : 'No customers yet.'}</p>
      ) : (
        <table data-testid="customers">
          <tbody>
            {page.map((row) => (
              <tr key={row.id}>
                <td>
                  <Link href={`/customers/${row.id}`} prefetch={false}>{row.name}</Link>
                </td>
                <td>{row.email ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager path="/customers" params={{ q, after: param(search.after, 2000) }} next={next} />
    </main>
  );
}
