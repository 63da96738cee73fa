import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { connection } from 'next/server';
import { getTenancy } from '~/product';

/** "Customers · Acme · Invoices": each page names itself, the layout adds the workspace and the product. */
export async function generateMetadata(): Promise<Metadata> {
  await connection();
  // The name only, no access check: a refused page (suspended, not a member) has a title too.
  const tenant = await getTenancy()
    .getTenant()
    .catch(() => null);
  const site = tenant ? `${tenant.name} · Invoices` : 'Invoices';
  return { title: { template: `%s · ${site}`, default: site } };
}

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: 'system-ui, sans-serif', margin: '2rem auto', maxWidth: 720, padding: '0 1rem' }}>
        {children}
      </body>
    </html>
  );
}
