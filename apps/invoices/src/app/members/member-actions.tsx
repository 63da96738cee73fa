'use client';

import { ActionToast, ConfirmDialog, SubmitButton, toast } from '@studio/ui/interactive';
import { useActionState } from 'react';
import { changeRole, removeMember, type MemberChangeState } from './actions';

/**
 * What the caller may do to one member: the roles they may give (the server checks again) and
 * removal behind a confirmation. Nothing is shown when they may do nothing.
 */
export function MemberActions({ memberId, name, role, roles, remove }: { memberId: string; name: string; role: string; roles: readonly string[]; remove: boolean }) {
  const [state, action] = useActionState<MemberChangeState, FormData>(changeRole, {});
  if (roles.length === 0 && !remove) return null;
  return (
    <div className="flex flex-wrap items-center gap-2">
      {roles.length > 0 && (
        <form action={action} className="flex items-center gap-2" data-testid="change-role">
          <ActionToast state={state} />
          <input type="hidden" name="memberId" value={memberId} />
          <label htmlFor={`role-${memberId}`} className="sr-only">
            Role of {name}
          </label>
          <select id={`role-${memberId}`} name="role" defaultValue={role} className="w-auto min-w-28" data-testid="role-select">
            {[role, ...roles].map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          <SubmitButton variant="secondary" pendingLabel="Saving…" data-testid="change-role-submit">
            Change role
          </SubmitButton>
        </form>
      )}
      {remove && (
        <ConfirmDialog
          trigger="Remove"
          triggerVariant="secondary"
          title={`Remove ${name}?`}
          description={
            <p className="m-0">
              {name} loses access to this workspace at once, and the invitations they sent are revoked. Their invoices and the audit trail stay. You can invite them again later.
            </p>
          }
          confirmLabel="Remove member"
          fields={{ memberId }}
          action={async (form) => {
            const answer = await removeMember(form);
            if (answer.error) toast.error(answer.error);
            else toast.success(answer.ok ?? 'Removed.');
          }}
          data-testid="remove-member"
        />
      )}
    </div>
  );
}
