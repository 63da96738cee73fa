import Link from 'next/link';
import { getDb } from '~/db';
import { env } from '~/env';
import { tenantPath } from '~/paths';

// Reads the database on every request (the demo workspaces, outside production).
export const dynamic = 'force-dynamic';

/** No tenant in the path: point people at their workspace's address. */
export default async function Landing() {
  const demo = env.showDemoHints ? await getDb().platform.listTenants() : [];
  return (
    <main>
      <h1>Lessons</h1>
      <p>
        Each workspace has its own address: <code>{env.publicUrl}/t/your-team</code>.
      </p>
      {demo.length > 0 && (
        <>
          <p>Demo workspaces (development only):</p>
          <ul data-testid="tenants">
            {demo.map((t) => (
              <li key={t.id}>
                <Link href={tenantPath(t.slug)}>{t.name}</Link> ({t.status})
              </li>
            ))}
          </ul>
        </>
      )}
    </main>
  );
}
