import type { RequestSession } from '@studio/tenancy/request';
import { THEME_COOKIE, themeChoice } from '@studio/ui/components';
import { AppShell } from '@studio/ui/interactive';
import { cookies } from 'next/headers';
import type { ReactNode } from 'react';

export { StatusBadge } from '@studio/ui/components';

/**
 * The console's frame: the design system's shell (skip link, header, sections, user menu with
 * the theme and sign-out, toasts). `session` is the signed-in user; the sections show to
 * platform admins only.
 */
export async function Page({ session, children }: { session?: RequestSession | null; children: ReactNode }) {
  const theme = themeChoice((await cookies()).get(THEME_COOKIE)?.value);
  const admin = session?.isPlatformAdmin === true;
  return (
    <AppShell
      product="Studio admin"
      user={session ? { name: session.name, email: session.email } : null}
      theme={theme}
      signOutThen="/sign-in"
      nav={
        admin
          ? [
              { href: '/', label: 'Tenants' },
              { href: '/audit', label: 'Audit trail' },
            ]
          : []
      }
      actions={session ? <span className="sr-only" data-testid="admin-email">{session.email}</span> : null}
    >
      {children}
    </AppShell>
  );
}

const time = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' });

/** Times in UTC, the same on every admin's screen and in the trail. */
export function When({ at }: { at: Date }) {
  return <time dateTime={at.toISOString()}>{time.format(at)} UTC</time>;
}
