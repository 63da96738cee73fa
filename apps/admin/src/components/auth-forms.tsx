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
    const failure = await run(new FormData(event.currentTarget)).catch(() => 'The console could not be reached; try again.');
    setBusy(false);
    if (failure) setError(failure);
    else then();
  };
  return { error, busy: busy || !ready, onSubmit };
}

export function SignInForm({ next }: { next: string }) {
  const { error, busy, onSubmit } = useSubmit(
    (f) => post('/sign-in/email', { email: f.get('email'), password: f.get('password') }),
    () => window.location.assign(next),
  );
  return (
    <form method="post" onSubmit={onSubmit} data-testid="sign-in" className="stack">
      <label>
        Email <input name="email" type="email" required autoComplete="username" />
      </label>
      <label>
        Password <input name="password" type="password" required autoComplete="current-password" />
      </label>
      <div>
        <button disabled={busy}>Sign in</button>
      </div>
      {error && <p role="alert" className="error">{error}</p>}
    </form>
  );
}

export function SignOut() {
  const { error, busy, onSubmit } = useSubmit(
    () => post('/sign-out', {}),
    () => window.location.assign('/sign-in'),
  );
  return (
    <form method="post" onSubmit={onSubmit}>
      <button disabled={busy}>Sign out</button>
      {error && <p role="alert" className="error">{error}</p>}
    </form>
  );
}
