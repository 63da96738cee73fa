import type { RequestSession } from '@studio/tenancy/request';
import Link from 'next/link';
import type { ReactNode } from 'react';

/** The console's header and page frame; `session` is the signed-in platform admin. */
export function Page({ session, children }: { session?: RequestSession | null; children: ReactNode }) {
  return (
    <>
      <header className="top">
        <Link href="/" className="brand">
          Studio admin
        </Link>
        {session?.isPlatformAdmin && (
          <>
            <Link href="/">Tenants</Link>
            <Link href="/audit">Audit trail</Link>
          </>
        )}
        {session && (
          <span className="who">
            <span data-testid="admin-email">{session.email}</span> · <Link href="/sign-out">Sign out</Link>
          </span>
        )}
      </header>
      <main>{children}</main>
    </>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge ${status}`}>{status.replace('_', '-')}</span>;
}

const time = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' });

/** Times in UTC, the same on every admin's screen and in the trail. */
export function When({ at }: { at: Date }) {
  return <time dateTime={at.toISOString()}>{time.format(at)} UTC</time>;
}
