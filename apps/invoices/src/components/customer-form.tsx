'use client';

import { useHydrated } from '@studio/ui';
import { Button, FormMessage, TextField } from '@studio/ui/components';
import type { FormState } from '~/lib/forms';
import { useFormAction } from './form';

type Action = (previous: FormState, form: FormData) => Promise<FormState>;

/** A customer's name and billing address; a refused submit keeps what was typed, each problem under its field. */
export function CustomerForm({ action, customer, label }: { action: Action; customer?: { name: string; email: string | null }; label: string }) {
  const [state, formAction, pending] = useFormAction(action);
  const hydrated = useHydrated();
  return (
    <form method="post" action={formAction} data-testid="customer-form" noValidate className="max-w-xl">
      <TextField name="name" label="Name" state={state} defaultValue={customer?.name} autoComplete="organization" required />
      <TextField name="email" label="Email" type="email" hint="Where invoices are sent; optional." state={state} defaultValue={customer?.email} placeholder="billing@example.com" autoComplete="email" />
      <FormMessage state={{ error: state.error }} />
      {/* Busy until the page has moved on after a save: no second customer from a second click. */}
      <Button type="submit" disabled={pending || !hydrated} aria-busy={pending || undefined}>
        {pending ? 'Saving…' : label}
      </Button>
    </form>
  );
}
