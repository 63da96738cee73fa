'use client';

import { useState, type FormEvent } from 'react';
import { useHydrated } from './use-hydrated';

/** The shared Better Auth endpoints (@studio/auth), mounted at /api/auth. */
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
  // Before hydration a click would submit natively (a GET with the password in the URL): the
  // button stays disabled until then, and the forms say method="post" anyway.
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

export function SignOut({ then }: { then: string }) {
  const { error, busy, onSubmit } = useSubmit(
    () => post('/sign-out', {}),
    () => window.location.assign(then),
  );
  return (
    <form method="post" onSubmit={onSubmit} data-testid="sign-out">
      <button disabled={busy}>Sign out</button>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}
