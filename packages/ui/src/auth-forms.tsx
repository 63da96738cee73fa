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


function Problem({ error }: { error: string | null }) {
  return error ? (
    <p role="alert" className="mt-3 mb-0 rounded-lg border border-danger/40 bg-danger-soft px-3 py-2 text-sm text-danger-soft-fg">
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
      <label className="mb-4">
        Email <input name="email" type="email" required autoComplete="username" />
      </label>
      <label className="mb-4">
        Password <input name="password" type="password" required autoComplete="current-password" />
      </label>
      <button disabled={busy} className="w-full">
        Sign in
      </button>
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

/**
 * Sign up with the invited address (or sign in), then accept the invitation; then `then`.
 * Accepting needs the address confirmed (issue 19): a newcomer gets a link by mail that brings
 * them back to `returnTo` (this page) confirmed and signed in, and the page asks for it until then.
 */
export function AcceptInvitationForm({ invitationId, email, signedIn, then = '/', returnTo }: { invitationId: string; email: string; signedIn: boolean; then?: string; returnTo?: string }) {
  const { error, busy, onSubmit } = useAuthSubmit(
    async (f) => {
      if (!signedIn) {
        const newcomer = f.get('mode') !== 'sign-in';
        // Sign-up opens no session (it answers a registered address as a new one): sign in after it.
        if (newcomer) {
          const failure = await postAuth('/sign-up/email', { email, password: f.get('password'), name: f.get('name'), callbackURL: returnTo });
          if (failure) return failure;
        }
        const failure = await postAuth('/sign-in/email', { email, password: f.get('password') });
        // Someone else signed up with this address first: its owner got a link to claim it.
        if (failure) return newcomer ? `Check your mail: we sent ${email} a link to confirm the address (or to claim it, if someone signed up with it before you). Then open this page again.` : failure;
      }
      const failure = await postAuth('/organization/accept-invitation', { invitationId });
      if (failure && /verif/i.test(failure)) {
        // The page shows the confirmation step for the signed-in address.
        window.location.reload();
        return `Confirm ${email} first: open the link we sent to it.`;
      }
      return failure;
    },
    () => window.location.assign(then),
  );
  return (
    <form method="post" onSubmit={onSubmit} data-testid="accept-invitation">
      {!signedIn && (
        <>
          <label className="mb-2 flex items-center font-normal">
            <input type="radio" name="mode" value="sign-up" defaultChecked /> I am new here
          </label>
          <label className="mb-2 flex items-center font-normal">
            <input type="radio" name="mode" value="sign-in" /> I already have an account
          </label>
          <label className="mb-4">
            Your name <input name="name" />
          </label>
          <label className="mb-4">
            Password (10 characters or more) <input name="password" type="password" required minLength={10} autoComplete="new-password" />
          </label>
        </>
      )}
      <button disabled={busy}>Join</button>
      <Problem error={error} />
    </form>
  );
}

/** Mails the signed-in account's confirmation link again; it brings them back to `returnTo`. */
export function ConfirmEmailForm({ email, returnTo }: { email: string; returnTo: string }) {
  const [sent, setSent] = useState(false);
  const { error, busy, onSubmit } = useAuthSubmit(
    () => postAuth('/send-verification-email', { email, callbackURL: returnTo }),
    () => setSent(true),
  );
  return (
    <form method="post" onSubmit={onSubmit} data-testid="confirm-email">
      <button disabled={busy}>Send the link again</button>
      {sent && <p data-testid="confirmation-sent">Sent to {email}.</p>}
      <Problem error={error} />
    </form>
  );
}

/** A new password from the `token` of a reset (or claim) link; then `then`. */
export function ResetPasswordForm({ token, then = '/sign-in' }: { token: string; then?: string }) {
  const { error, busy, onSubmit } = useAuthSubmit(
    (f) => postAuth('/reset-password', { token, newPassword: f.get('password') }),
    () => window.location.assign(then),
  );
  return (
    <form method="post" onSubmit={onSubmit} data-testid="reset-password">
      <label className="mb-4">
        New password (10 characters or more) <input name="password" type="password" required minLength={10} autoComplete="new-password" />
      </label>
      <button disabled={busy}>Set the password</button>
      <Problem error={error} />
    </form>
  );
}

