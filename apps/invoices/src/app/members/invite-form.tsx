'use client';

import { useActionState } from 'react';
import { invite, type InviteState } from './actions';

export function InviteForm() {
  const [state, action, pending] = useActionState<InviteState, FormData>(invite, {});
  return (
    <form action={action} data-testid="invite">
      <input name="email" type="email" placeholder="colleague@example.com" required />{' '}
      <select name="role" defaultValue="member">
        <option value="member">member</option>
        <option value="admin">admin</option>
      </select>{' '}
      <button disabled={pending}>Invite</button>
      {state.error && <p role="alert">{state.error}</p>}
      {state.email && (
        <p data-testid="invited">
          Invited {state.email}.
          {state.link && (
            <>
              {' '}
              No mail server in development: send them <a href={state.link} data-testid="invite-link">{state.link}</a>
            </>
          )}
        </p>
      )}
    </form>
  );
}
