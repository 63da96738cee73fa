'use client';

import { useActionState } from 'react';
import { resendInvitation, revokeInvitation, type PendingState } from './actions';

export interface PendingRow {
  email: string;
  role: string;
  invitedBy: string | null;
  /** ISO time. */
  expiresAt: string;
  /** expiresAt as the page's locale writes it (@studio/ui/format). */
  expiresOn: string;
}

function Row({ invitation }: { invitation: PendingRow }) {
  const [resent, resend, resending] = useActionState<PendingState, FormData>(resendInvitation, {});
  const [revoked, revoke, revoking] = useActionState<PendingState, FormData>(revokeInvitation, {});
  const state = revoked.error || revoked.done ? revoked : resent;
  return (
    <li data-testid="pending-invitation" data-email={invitation.email}>
      {invitation.email} — {invitation.role}, invited by {invitation.invitedBy ?? 'someone who left'}, until <time dateTime={invitation.expiresAt}>{invitation.expiresOn}</time>{' '}
      <form action={resend} style={{ display: 'inline' }}>
        <input type="hidden" name="email" value={invitation.email} />
        <button disabled={resending || revoking}>Resend</button>
      </form>{' '}
      <form action={revoke} style={{ display: 'inline' }}>
        <input type="hidden" name="email" value={invitation.email} />
        <button disabled={resending || revoking}>Revoke</button>
      </form>
      {state.error && <span role="alert"> {state.error}</span>}
      {state.done && <span> {state.done}</span>}
    </li>
  );
}

/** The tenant's pending invitations, for those who manage members. */
export function PendingInvitations({ invitations }: { invitations: PendingRow[] }) {
  if (invitations.length === 0) return <p data-testid="no-pending-invitations">No pending invitations.</p>;
  return (
    <ul data-testid="pending-invitations">
      {invitations.map((i) => (
        <Row key={i.email} invitation={i} />
      ))}
    </ul>
  );
}
