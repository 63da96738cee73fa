import type { ReactNode } from 'react';

export const metadata = { title: 'Lessons' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: 'system-ui, sans-serif', margin: '2rem auto', maxWidth: 820, padding: '0 1rem', lineHeight: 1.5 }}>
        {children}
      </body>
    </html>
  );
}
