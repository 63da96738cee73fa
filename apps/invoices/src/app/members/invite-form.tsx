'use client';

import { FormMessage, Notice, SelectField, TextField } from '@studio/ui/components';
import { SubmitButton } from '@studio/ui/interactive';
import { useActionState } from 'react';
import { invite, type InviteState } from './actions';

/** Invite by address, with a role; owners may also invite owners. */
export function InviteForm({ roles }: { roles: readonly string[] }) {
  const [state, action] = useActionState<InviteState, FormData>(invite, {});
  return (
    <form action={action} data-testid="invite" noValidate>
      <TextField name="email" label="Email" type="email" placeholder="colleague@example.com" required autoComplete="off" />
      <SelectField name="role" label="Role" defaultValue="member" hint="Admins manage members, tokens and exports; owners also manage owners.">
        {roles.map((role) => (
          <option key={role} value={role}>
            {role}
          </option>
        ))}
      </SelectField>
      <FormMessage state={{ error: state.error }} />
      {state.email && (
        <Notice tone="success" role="status" data-testid="invited">
          <p>
            Invited {state.email}.
            {state.link && (
              <>
                {' '}
                No mail server in development: send them{' '}
                <a href={state.link} data-testid="invite-link" className="break-all">
                  {state.link}
                </a>
              </>
            )}
          </p>
        </Notice>
      )}
      <SubmitButton pendingLabel="Inviting…">Invite</SubmitButton>
    </form>
  );
}
