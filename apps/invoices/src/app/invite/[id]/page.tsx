import { publicAccess } from '@studio/tenancy';
import { notFound } from 'next/navigation';
import { getAuth } from '~/auth';
import { AcceptInvitationForm } from '@studio/ui';
import { getTenancy } from '~/tenancy';

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
      <main>
        <h1>This invitation is no longer valid</h1>
        <p>Ask someone at {tenant.name} to invite you again.</p>
      </main>
    );
  }
  const otherUser = session && session.email.toLowerCase() !== invitation.email.toLowerCase();
  return (
    <main>
      <h1>Join {tenant.name}</h1>
      <p>
        This invitation is for <strong data-testid="invitee">{invitation.email}</strong>, as {invitation.role}.
      </p>
      {otherUser ? (
        <p role="alert">You are signed in as {session.email}. Sign out first, then open this link again.</p>
      ) : (
        <AcceptInvitationForm invitationId={invitation.id} email={invitation.email} signedIn={session !== null} />
      )}
    </main>
  );
}
