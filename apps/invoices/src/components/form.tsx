'use client';

import { useRouter } from 'next/navigation';
import { useHydrated } from '@studio/ui';
import { useActionState, useEffect, useTransition, type ReactNode } from 'react';
import type { FormState } from '~/lib/forms';

/** useActionState, then a client-side navigation when the action says where to go (see FormState.redirectTo). */
export function useFormAction(action: (previous: FormState, form: FormData) => Promise<FormState>) {
  const [state, formAction, pending] = useActionState<FormState, FormData>(action, {});
  const router = useRouter();
  const [navigating, navigate] = useTransition();
  useEffect(() => {
    if (state.redirectTo) navigate(() => router.push(state.redirectTo!));
  }, [state, router]);
  // Still "pending" while navigating away: no second submit.
  return [state, formAction, pending || navigating] as const;
}

const row = { display: 'block', margin: '0.6rem 0' } as const;
const problem = { color: '#b91c1c', display: 'block', fontSize: '0.9em' } as const;

/** A labelled input with its error under it; the value typed survives a refused submit. */
export function Field({
  name,
  label,
  state,
  defaultValue,
  type = 'text',
  children,
  ...rest
}: {
  name: string;
  label: string;
  state: FormState;
  defaultValue?: string | null;
  type?: string;
  children?: ReactNode;
  step?: string;
  placeholder?: string;
  inputMode?: 'decimal' | 'numeric' | 'text' | 'email';
}) {
  const error = state.fieldErrors?.[name];
  const value = state.values?.[name] ?? defaultValue ?? '';
  const id = `field-${name}`;
  const props = { id, name, defaultValue: value, 'aria-invalid': error ? true : undefined, 'aria-describedby': error ? `${id}-error` : undefined };
  return (
    <label style={row}>
      {label}{' '}
      {children ? (
        // key: a refused submit re-renders with the typed value (defaultValue alone would not).
        <select key={value} {...props}>
          {children}
        </select>
      ) : type === 'textarea' ? (
        <textarea key={value} rows={3} {...props} />
      ) : (
        <input key={value} type={type} {...rest} {...props} />
      )}
      {error && (
        <span id={`${id}-error`} role="alert" style={problem} data-testid={`error-${name}`}>
          {error}
        </span>
      )}
    </label>
  );
}

export function FormError({ state }: { state: FormState }) {
  return state.error ? (
    <p role="alert" style={problem} data-testid="form-error">
      {state.error}
    </p>
  ) : null;
}

export function SubmitButton({ pending, children, danger }: { pending: boolean; children: ReactNode; danger?: boolean }) {
  const ready = useHydrated();
  return (
    <button disabled={pending || !ready} style={danger ? { color: '#b91c1c' } : undefined}>
      {children}
    </button>
  );
}

type Action = (previous: FormState, form: FormData) => Promise<FormState>;

/** A delete button whose refusal (e.g. the customer still has invoices) shows beside it. */
export function DeleteForm({ action, what }: { action: Action; what: string }) {
  const [state, formAction, pending] = useFormAction(action);
  return (
    <form
      method="post"
      action={formAction}
      data-testid="delete-form"
      onSubmit={(event) => {
        if (!window.confirm(`Delete ${what}? This cannot be undone.`)) event.preventDefault();
      }}
    >
      <SubmitButton pending={pending} danger>
        Delete {what}
      </SubmitButton>
      <FormError state={state} />
    </form>
  );
}
