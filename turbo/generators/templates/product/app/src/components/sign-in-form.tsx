'use client';

import { useState, type FormEvent } from 'react';

export function SignInForm({ next }: { next: string }) {
  const [error, setError] = useState<string | null>(null);
  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const response = await fetch('/api/auth/sign-in/email', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: form.get('email'), password: form.get('password') }),
    });
    if (response.ok) window.location.assign(next);
    else setError(((await response.json().catch(() => ({}))) as { message?: string }).message ?? 'Sign-in failed.');
  }
  return (
    <form onSubmit={onSubmit}>
      <label>
        Email <input name="email" type="email" required autoComplete="username" />
      </label>
      <label>
        Password <input name="password" type="password" required autoComplete="current-password" />
      </label>
      <button>Sign in</button>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}
