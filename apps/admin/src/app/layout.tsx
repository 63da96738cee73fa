import type { ReactNode } from 'react';
import './globals.css';

// Each page names itself: "Members · acme · Studio admin".
export const metadata = { title: { template: '%s · Studio admin', default: 'Studio admin' } };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
