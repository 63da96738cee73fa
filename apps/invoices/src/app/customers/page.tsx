import { customers } from '@studio/db-schema/schema';
import { isUuid } from '@studio/tenancy';
import { containsPattern, decodeCursor, keysetPage, MAX_CURSOR_LENGTH, PAGE_SIZE, searchParam } from '@studio/ui/lists';
import { and, asc, ilike, or, sql } from 'drizzle-orm';
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
  return (
    <Shell ctx={ctx}>
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
      <Pager path="/customers" params={{ q, after: afterText }} next={next} />
    </Shell>
  );
}
