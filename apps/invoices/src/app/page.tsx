import { invoices } from '@studio/db-schema/schema';
import { count } from 'drizzle-orm';
import { getDb } from '~/db';

// Reads the database on every request.
export const dynamic = 'force-dynamic';

export default async function Home() {
  const db = getDb();
  const tenants = await db.platform.listTenants();
  // Each tenant's count goes through its own scoped client: the tenant filter and RLS apply.
  const counts = await Promise.all(
    tenants
      .filter((t) => t.status !== 'suspended')
      .map(async (t) => {
        const tdb = await db.tenant(t.id);
        const [row] = await tdb.select({ n: count() }).from(invoices);
        return [t.id, row?.n ?? 0] as const;
      }),
  );
  const invoiceCount = new Map(counts);
  return (
    <main>
      <h1>Invoices</h1>
      <p>Tenants on this platform:</p>
      <ul data-testid="tenants">
        {tenants.map((tenant) => (
          <li key={tenant.id}>
            <strong>{tenant.name}</strong> <code>{tenant.slug}</code> ({tenant.status}) —{' '}
            <span data-testid={`invoices-${tenant.slug}`}>{invoiceCount.get(tenant.id) ?? '-'}</span> invoices
          </li>
        ))}
      </ul>
    </main>
  );
}
