import type { ReactNode } from 'react';
import { cookies } from 'next/headers';
import { THEME_COOKIE, themeClass } from '@studio/ui/components';
import './globals.css';

// Each page names itself: "Members · acme · Studio admin".
export const metadata = { title: { template: '%s · Studio admin', default: 'Studio admin' } };

/** The document: the reader's theme (a cookie, so the first paint is right). Pages bring their frame (the shell, or a refusal). */
export default async function RootLayout({ children }: { children: ReactNode }) {
  const theme = (await cookies()).get(THEME_COOKIE)?.value;
  return (
    <html lang="en" className={themeClass(theme)}>
      <body>{children}</body>
    </html>
  );
}
