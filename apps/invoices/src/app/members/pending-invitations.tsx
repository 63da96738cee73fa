'use client';

import { StatusBadge, Table } from '@studio/ui/components';
import { ConfirmDialog, SubmitButton, toast } from '@studio/ui/interactive';
import { useActionState, useEffect, useRef } from 'react';
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

/** A toast per answer of an action (PendingState's `done` or `error`), once. */
function useAnswerToast(state: PendingState) {
  const seen = useRef(state);
  useEffect(() => {
    if (seen.current === state) return;
    seen.current = state;
    if (state.done) toast.success(state.done);
    else if (state.error) toast.error(state.error);
  }, [state]);
}

function Actions({ invitation }: { invitation: PendingRow }) {
  const [resent, resend] = useActionState<PendingState, FormData>(resendInvitation, {});
  useAnswerToast(resent);
  return (
    <div className="flex flex-wrap items-center gap-2">
      <form action={resend}>
        <input type="hidden" name="email" value={invitation.email} />
        <SubmitButton variant="secondary" pendingLabel="Sending…" data-testid="resend-invitation">
          Resend
        </SubmitButton>
      </form>
      <ConfirmDialog
        trigger="Revoke"
        triggerVariant="secondary"
        title={`Revoke the invitation to ${invitation.email}?`}
        description={<p className="m-0">The link they were sent stops working at once. You can invite them again later.</p>}
        confirmLabel="Revoke invitation"
        fields={{ email: invitation.email }}
        action={async (form) => {
          const answer = await revokeInvitation({}, form);
          if (answer.error) toast.error(answer.error);
          else toast.success(answer.done ?? 'Invitation revoked.');
        }}
        data-testid="revoke-invitation"
      />
      {resent.error && (
        <span role="alert" className="text-sm text-danger">
          {resent.error}
        </span>
      )}
    </div>
  );
}

/** The tenant's pending invitations, for those who manage members. By address: ids never reach a page (C16). */
export function PendingInvitations({ invitations }: { invitations: PendingRow[] }) {
  if (invitations.length === 0)
    return (
      <p className="text-sm text-muted" data-testid="no-pending-invitations">
        No pending invitations.
      </p>
    );
  return (
    <Table
      caption="Pending invitations"
      data-testid="pending-invitations"
      columns={[
        { key: 'email', header: 'Email' },
        { key: 'role', header: 'Role' },
        { key: 'by', header: 'Invited by' },
        { key: 'until', header: 'Valid until' },
        { key: 'actions', header: <span className="sr-only">Actions</span>, label: 'Actions' },
      ]}
      rows={invitations.map((i) => ({
        key: i.email,
        'data-testid': `pending-${i.email}`,
        cells: {
          email: <span className="[overflow-wrap:anywhere]">{i.email}</span>,
          role: <StatusBadge status={i.role} />,
          by: i.invitedBy ? <span className="[overflow-wrap:anywhere]">{i.invitedBy}</span> : <span className="text-muted">someone who left</span>,
          until: <time dateTime={i.expiresAt}>{i.expiresOn}</time>,
          actions: <Actions invitation={i} />,
        },
      }))}
    />
  );
}
