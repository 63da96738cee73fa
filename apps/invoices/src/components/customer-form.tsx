'use client';

import type { FormState } from '~/lib/forms';
import { Field, FormError, SubmitButton, useFormAction } from './form';

type Action = (previous: FormState, form: FormData) => Promise<FormState>;

export function CustomerForm({ action, customer, label }: { action: Action; customer?: { name: string; email: string | null }; label: string }) {
  const [state, formAction, pending] = useFormAction(action);
  return (
    <form method="post" action={formAction} data-testid="customer-form" noValidate>
      <Field name="name" label="Name" state={state} defaultValue={customer?.name} />
      <Field name="email" label="Email" type="email" state={state} defaultValue={customer?.email} placeholder="billing@example.com" />
      <FormError state={state} />
      <SubmitButton pending={pending}>{label}</SubmitButton>
    </form>
  );
}
