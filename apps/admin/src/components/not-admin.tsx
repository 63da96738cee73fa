import type { RequestSession } from '@studio/tenancy/request';
import Link from 'next/link';
import { Page } from './chrome';

/** The 403 page for a signed-in user who is not a platform admin (users.is_platform_admin). */
export function NotAdmin({ session }: { session: RequestSession | null }) {
  return (
    <Page session={session}>
      <h1 data-testid="forbidden">403: platform administrators only</h1>
      <p>
        {session ? (
          <>
            You are signed in as <strong>{session.email}</strong>, who is not a platform administrator.{' '}
          </>
        ) : null}
        This console reads across every tenant, so it is open to platform staff alone. Your own workspace is in the product app you use.
      </p>
      <p>
        <Link href="/sign-out">Sign out</Link> to sign in as someone else.
      </p>
    </Page>
  );
}
