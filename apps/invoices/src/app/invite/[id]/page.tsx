import { publicAccess } from '@studio/tenancy/request';
import { headers } from 'next/headers';
import { notFound } from 'next/navigation';
import { getAuth, getMailer, getTenancy } from '~/product';
import { AcceptInvitationForm, ConfirmEmailForm } from '@studio/ui';
import { env } from '~/env';
import { CenteredShell } from '@studio/ui/interactive';

export const metadata = { title: 'Invitation' };

export const dynamic = 'force-dynamic';

export default async function Invite({ params }: { params: Promise<{ id: string }> }) {
  publicAccess('an invitation link: the invitee is not a member yet');
  const { id } = await params;
  const tenancy = getTenancy();
  const [tenant, invitation, session] = await Promise.all([tenancy.getTenant(), getAuth().invitation(id), tenancy.getSession()]);
  // An invitation opens only on its own tenant's address.
  if (!tenant || !invitation || invitation.tenantId !== tenant.id) notFound();
  if (invitation.status !== 'pending' || invitation.expiresAt < new Date()) {
    return (
      <CenteredShell product="Invoices">
        <h1>This invitation is no longer valid</h1>
        <p>Ask someone at {tenant.name} to invite you again.</p>
      </CenteredShell>
    );
  }
  const otherUser = session && session.email.toLowerCase() !== invitation.email.toLowerCase();
  const here = `/invite/${invitation.id}`;
  // Accepting needs the address proved (issue 19): a signed-in invitee who has not followed the link yet is asked to.
  const verified = session && !otherUser ? (await getAuth().auth.api.getSession({ headers: await headers() }))?.user.emailVerified === true : false;
  // No mail server in development: the confirmation link is shown to the one signed in with that address (and logged).
  const devLink =
    session && !otherUser && !verified && env.showDemoHints
      ? getMailer().outbox.findLast((m) => m.to.toLowerCase() === invitation.email.toLowerCase() && m.subject === 'Confirm your address')?.link
      : undefined;
  return (
    <CenteredShell product="Invoices">
      <h1>Join {tenant.name}</h1>
      <p>
        This invitation is for <strong data-testid="invitee">{invitation.email}</strong>, as {invitation.role}.
      </p>
      {otherUser ? (
        <p role="alert">You are signed in as {session.email}. Sign out first, then open this link again.</p>
      ) : session && !verified ? (
        <section data-testid="confirm-address">
          <p>Confirm that {invitation.email} is yours first: open the link we sent to it. It brings you back here.</p>
          <ConfirmEmailForm email={invitation.email} returnTo={here} />
          {devLink && (
            <p>
              No mail server in development: <a href={devLink} data-testid="confirm-link">confirm {invitation.email}</a>
            </p>
          )}
        </section>
      ) : (
        <AcceptInvitationForm invitationId={invitation.id} email={invitation.email} signedIn={session !== null} returnTo={here} />
      )}
    </CenteredShell>
  );
}
