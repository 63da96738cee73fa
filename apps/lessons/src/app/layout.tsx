import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { cookies } from 'next/headers';
import { connection } from 'next/server';
import { THEME_COOKIE, themeClass } from '@studio/ui/components';
import { getTenancy } from '~/product';
import './globals.css';

/** "New lesson plan · Acme · Lessons": each page names itself, the layout adds the workspace and the product. */
export async function generateMetadata(): Promise<Metadata> {
  await connection();
  // The name only, no access check: a refused page (suspended, not a member) has a title too.
  const tenant = await getTenancy()
    .getTenant()
    .catch(() => null);
  const site = tenant ? `${tenant.name} · Lessons` : 'Lessons';
  return { title: { template: `%s · ${site}`, default: site } };
}

/** The document: the reader's theme (a cookie, so the first paint is right). Pages bring their frame (Shell or a refusal). */
export default async function RootLayout({ children }: { children: ReactNode }) {
  const theme = (await cookies()).get(THEME_COOKIE)?.value;
  return (
    <html lang="en" className={themeClass(theme)}>
      <body>{children}</body>
    </html>
  );
}
