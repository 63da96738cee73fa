'use client';

import { Button, FormMessage, Notice, TextField } from '@studio/ui/components';
import { ActionToast, ConfirmDialog, SubmitButton, toast } from '@studio/ui/interactive';
import { useActionState, useState } from 'react';
import { createToken, revokeToken, type CreateTokenState } from './actions';

export interface ScopeChoice {
  scope: string;
  label: string;
  description: string;
}

/** The new token, once: a warning, the secret in a read-only field, a copy button, and how to use it. */
function ShownOnce({ created, onDone }: { created: NonNullable<CreateTokenState['created']>; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.token);
      setCopied(true);
      toast.success('Token copied.');
    } catch {
      toast.error('Could not copy: select the token and copy it by hand.');
    }
  };
  return (
    <Notice tone="warn" role="status" title={`Your new token “${created.name}”`} data-testid="token-created">
      <p>Copy it now and keep it somewhere safe: it is shown only this once, and nobody can read it again (only its fingerprint is stored).</p>
      <label htmlFor="new-token" className="sr-only">
        The new token
      </label>
      <div className="flex flex-col gap-2 sm:flex-row">
        <input
          id="new-token"
          readOnly
          value={created.token}
          onFocus={(e) => e.currentTarget.select()}
          className="min-w-0 flex-1 font-mono text-xs"
          spellCheck={false}
          data-testid="token-secret"
        />
        <Button type="button" variant="secondary" onClick={copy} data-testid="copy-token">
          {copied ? 'Copied' : 'Copy'}
        </Button>
      </div>
      <p className="mt-2">
        Send it as <code className="break-all">Authorization: Bearer …</code> to the JSON API, e.g. <code>GET /api/v1/invoices</code>. Scopes: {created.scopes.join(', ')}.
      </p>
      <Button type="button" variant="ghost" size="sm" onClick={onDone} data-testid="token-done">
        I have copied it
      </Button>
    </Notice>
  );
}

/** Name, scopes, create; the answer shows the secret once. */
export function CreateTokenForm({ scopes }: { scopes: readonly ScopeChoice[] }) {
  const [state, action] = useActionState<CreateTokenState, FormData>(createToken, {});
  // The secret stays on screen until the reader says they have it (or creates another).
  const [dismissed, setDismissed] = useState<string | null>(null);
  const created = state.created && state.created.id !== dismissed ? state.created : null;
  return (
    <>
      {created && <ShownOnce created={created} onDone={() => setDismissed(created.id)} />}
      <form action={action} data-testid="create-token" noValidate>
        <ActionToast state={state} />
        <TextField name="name" label="Name" hint="What uses it, so you recognise it later." state={state} placeholder="Accounting sync" maxLength={100} required autoComplete="off" className="max-w-md" />
        <fieldset className="mb-4" aria-describedby={state.fieldErrors?.scopes ? 'scopes-error' : undefined}>
          <legend className="font-medium">Scopes</legend>
          <p className="m-0 text-sm text-muted">What the token may do on the JSON API. It opens no page.</p>
          <div className="mt-2 grid gap-2 sm:grid-cols-2 xl:grid-cols-4">
            {scopes.map((s) => (
              <label key={s.scope} className="flex items-start gap-2 rounded-lg border border-line p-3 text-sm font-normal">
                <input type="checkbox" name="scopes" value={s.scope} defaultChecked={s.scope === 'invoices:read'} className="mt-1 w-auto" data-testid={`scope-${s.scope}`} />
                <span>
                  <span className="font-medium">{s.label}</span> <code className="text-xs text-muted">{s.scope}</code>
                  <span className="block text-muted">{s.description}</span>
                </span>
              </label>
            ))}
          </div>
          {state.fieldErrors?.scopes && (
            <p id="scopes-error" role="alert" className="m-0 mt-1 text-sm text-danger" data-testid="error-scopes">
              {state.fieldErrors.scopes}
            </p>
          )}
        </fieldset>
        <FormMessage state={{ error: state.error }} />
        <SubmitButton pendingLabel="Creating…" data-testid="create-token-submit">
          Create token
        </SubmitButton>
      </form>
    </>
  );
}

/** Revoke, behind a confirmation; the answer as a toast. */
export function RevokeToken({ id, name }: { id: string; name: string }) {
  return (
    <ConfirmDialog
      trigger="Revoke"
      triggerVariant="secondary"
      title={`Revoke “${name}”?`}
      description={<p className="m-0">Whatever uses this token is refused by the API from its next request. This cannot be undone: make a new token instead.</p>}
      confirmLabel="Revoke token"
      fields={{ id }}
      action={async (form) => {
        const answer = await revokeToken(form);
        if (answer.error) toast.error(answer.error);
        else toast.success(answer.ok ?? 'Token revoked.');
      }}
      data-testid="revoke-token"
    />
  );
}
