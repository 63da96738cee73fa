'use client';

import { useState, type FormEvent } from 'react';
import { useHydrated } from './use-hydrated';

/** POSTs to the shared Better Auth endpoints (@studio/auth, mounted at /api/auth); the error in words, or null. */
export async function postAuth(path: string, body: unknown): Promise<string | null> {
  const response = await fetch(`/api/auth${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).catch(() => null);
  if (!response) return 'The server could not be reached; try again.';
  if (response.ok) return null;
  const data = (await response.json().catch(() => ({}))) as { message?: string };
  return data.message ?? `Request failed (${response.status})`;
}

/** A form submitted with fetch: busy until hydrated and while it runs, its error kept for display. */
export function useAuthSubmit(run: (form: FormData) => Promise<string | null>, then: () => void) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ready = useHydrated();
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

function Problem({ error }: { error: string | null }) {
  return error ? (
    <p role="alert" className="error">
      {error}
    </p>
  ) : null;
}

/** Email and password; on success the browser goes to `next` (a full load: the session cookie is new). */
export function SignInForm({ next }: { next: string }) {
  const { error, busy, onSubmit } = useAuthSubmit(
    (f) => postAuth('/sign-in/email', { email: f.get('email'), password: f.get('password') }),
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
      <Problem error={error} />
    </form>
  );
}

export function SignOut({ then = '/' }: { then?: string }) {
  const { error, busy, onSubmit } = useAuthSubmit(
    () => postAuth('/sign-out', {}),
    () => window.location.assign(then),
  );
  return (
    <form method="post" onSubmit={onSubmit} data-testid="sign-out">
      <button disabled={busy}>Sign out</button>
      <Problem error={error} />
    </form>
  );
}

/** Sign up with the invited address (or sign in), then accept the invitation; then `then`. */
export function AcceptInvitationForm({ invitationId, email, signedIn, then = '/' }: { invitationId: string; email: string; signedIn: boolean; then?: string }) {
  const { error, busy, onSubmit } = useAuthSubmit(
    async (f) => {
      if (!signedIn) {
        // Sign-up opens no session (it answers a registered address as a new one): sign in after it.
        if (f.get('mode') !== 'sign-in') {
          const failure = await postAuth('/sign-up/email', { email, password: f.get('password'), name: f.get('name') });
          if (failure) return failure;
        }
        const failure = await postAuth('/sign-in/email', { email, password: f.get('password') });
        if (failure) return failure;
      }
      return postAuth('/organization/accept-invitation', { invitationId });
    },
    () => window.location.assign(then),
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
      <Problem error={error} />
    </form>
  );
}
