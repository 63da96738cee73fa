import { getDb } from '~/db';

// Reads the database on every request.
export const dynamic = 'force-dynamic';

export default async function Home() {
  const tenants = await getDb().platform.listTenants();
  return (
    <main>
      <h1>Invoices</h1>
      <p>Tenants on this platform:</p>
      <ul data-testid="tenants">
        {tenants.map((tenant) => (
          <li key={tenant.id}>
            <strong>{tenant.name}</strong> <code>{tenant.slug}</code> ({tenant.status})
          </li>
        ))}
      </ul>
    </main>
  );
}
