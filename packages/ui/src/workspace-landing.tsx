import type { ReactNode } from 'react';

export interface DemoWorkspace {
  id: string;
  name: string;
  status: string;
  /** Where the workspace lives (its subdomain or its path). */
  href: string;
}

/**
 * A product's page when the address names no tenant: where a workspace's address goes, and,
 * outside production, links to the demo workspaces.
 */
export function WorkspaceLanding({ product, example, demo }: { product: ReactNode; example: string; demo: DemoWorkspace[] }) {
  return (
    <main id="content" className="mx-auto my-10 max-w-xl px-4 sm:my-16">
      <h1>{product}</h1>
      <p>
        Each workspace has its own address: <code>{example}</code>.
      </p>
      {demo.length > 0 && (
        <>
          <p>Demo workspaces (development only):</p>
          <ul data-testid="tenants" className="list-disc ps-5">
            {demo.map((t) => (
              <li key={t.id}>
                <a href={t.href}>{t.name}</a> ({t.status})
              </li>
            ))}
          </ul>
        </>
      )}
    </main>
  );
}
