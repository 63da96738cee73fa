'use client';

import type { FormState } from '~/lib/forms';
import { Field, FormError, SubmitButton, useFormAction } from './form';

type Action = (previous: FormState, form: FormData) => Promise<FormState>;

export interface InvoiceFormValues {
  customerId: string;
  number: string;
  amount: string;
  currency: string;
  status: string;
  dueOn: string | null;
  notes: string | null;
}

export function InvoiceForm({
  action,
  invoice,
  customers,
  label,
  amountExample = '99.50',
}: {
  action: Action;
  invoice?: InvoiceFormValues;
  customers: { id: string; name: string }[];
  label: string;
  /** 99.50 in the locale the server action reads the amount in ('99,50' in de-DE). */
  amountExample?: string;
}) {
  const [state, formAction, pending] = useFormAction(action);
  return (
    <form method="post" action={formAction} data-testid="invoice-form" noValidate>
      <Field name="customerId" label="Customer" state={state} defaultValue={invoice?.customerId}>
        <option value="">Choose…</option>
        {customers.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </Field>
      <Field name="number" label="Number" state={state} defaultValue={invoice?.number} placeholder="INV-0042" />
      <Field name="amount" label="Amount" state={state} defaultValue={invoice?.amount} placeholder={amountExample} inputMode="decimal" />
      <Field name="currency" label="Currency" state={state} defaultValue={invoice?.currency ?? 'USD'} />
      <Field name="status" label="Status" state={state} defaultValue={invoice?.status ?? 'draft'}>
        {['draft', 'sent', 'paid', 'void'].map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </Field>
      <Field name="dueOn" label="Due" type="date" state={state} defaultValue={invoice?.dueOn} />
      <Field name="notes" label="Notes" type="textarea" state={state} defaultValue={invoice?.notes} />
      <FormError state={state} />
      <SubmitButton pending={pending}>{label}</SubmitButton>
    </form>
  );
}
