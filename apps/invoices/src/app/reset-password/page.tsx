import { publicAccess } from '@studio/tenancy/request';
import { ResetPasswordForm } from '@studio/ui';
import { notFound } from 'next/navigation';
import { getTenancy } from '~/product';
import { CenteredShell } from '@studio/ui/interactive';

export const metadata = { title: 'Choose your password' };

export const dynamic = 'force-dynamic';

/**
 * Where a reset or claim link lands (`?token=`, or `?error=` when the link is stale). Setting the
 * password proves the mailbox: the address counts as confirmed and every other session ends.
 */
export default async function ResetPassword({ searchParams }: { searchParams: Promise<{ token?: string; error?: string }> }) {
  publicAccess('a password link from a mail: whoever holds it is not signed in');
  const tenant = await getTenancy().getTenant();
  if (!tenant) notFound();
  const { token, error } = await searchParams;
  return (
    <CenteredShell product="Invoices">
      <h1>Choose your password</h1>
      {error || !token ? (
        <p role="alert">This link has expired or was used already. Ask for a new one by signing up or resetting your password again.</p>
      ) : (
        <>
          <p>This also confirms your address and signs out everyone else using it.</p>
          <ResetPasswordForm token={token} then="/sign-in" />
        </>
      )}
    </CenteredShell>
  );
}
