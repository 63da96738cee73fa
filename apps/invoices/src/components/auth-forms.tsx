'use client';

import { useEffect, useState, type FormEvent } from 'react';

async function post(path: string, body: unknown): Promise<string | null> {
  const response = await fetch(`/api/auth${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.ok) return null;
  const data = (await response.json().catch(() => ({}))) as { message?: string };
  return data.message ?? `Request failed (${response.status})`;
}

function useSubmit(run: (form: FormData) => Promise<string | null>, then: () => void) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Until React has hydrated the form, a click would submit it natively (a GET with the password
  // in the URL): the button stays disabled until then, and the forms say method="post" anyway.
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const failure = await run(new FormData(event.currentTarget));
    setBusy(false);
    if (failure) setError(failure);
    else then();
  };
  return { error, busy: busy || !ready, onSubmit };
}

const field = { display: 'block', margin: '0.5rem 0' } as const;

export function SignInForm({ next }: { next: string }) {
  const { error, busy, onSubmit } = useSubmit(
    (f) => post('/sign-in/email', { email: f.get('email'), password: f.get('password') }),
    () => window.location.assign(next),
  );
  return (
    <form method="post" onSubmit={onSubmit} data-testid="sign-in">
      <label style={field}>
        Email <input name="email" type="email" required autoComplete="username" />
      </label>
      <label style={field}>
        Password <input name="password" type="password" required autoComplete="current-password" />
      </label>
      <button disabled={busy}>Sign in</button>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}

/** Sign up with the invited address (or sign in), then accept the invitation. */
export function AcceptInvitationForm({ invitationId, email, signedIn }: { invitationId: string; email: string; signedIn: boolean }) {
  const { error, busy, onSubmit } = useSubmit(
    async (f) => {
      if (!signedIn) {
        const failure =
          f.get('mode') === 'sign-in'
            ? await post('/sign-in/email', { email, password: f.get('password') })
            : await post('/sign-up/email', { email, password: f.get('password'), name: f.get('name') });
        if (failure) return failure;
      }
      return post('/organization/accept-invitation', { invitationId });
    },
    () => window.location.assign('/'),
  );
  return (
    <form method="post" onSubmit={onSubmit} data-testid="accept-invitation">
      {!signedIn && (
        <>
          <label style={field}>
            <input type="radio" name="mode" value="sign-up" defaultChecked /> I am new here
          </label>
          <label style={field}>
            <input type="radio" name="mode" value="sign-in" /> I already have an account
          </label>
          <label style={field}>
            Your name <input name="name" />
          </label>
          <label style={field}>
            Password (10 characters or more) <input name="password" type="password" required minLength={10} autoComplete="new-password" />
          </label>
        </>
      )}
      <button disabled={busy}>Join</button>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}

export function SignOut() {
  const { error, busy, onSubmit } = useSubmit(
    () => post('/sign-out', {}),
    () => window.location.assign('/'),
  );
  return (
    <form method="post" onSubmit={onSubmit}>
      <button disabled={busy}>Sign out</button>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}
