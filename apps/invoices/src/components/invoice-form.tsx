'use client';

import { useHydrated } from '@studio/ui';
import { Button, FormMessage, SelectField, TextareaField, TextField } from '@studio/ui/components';
import type { FormState } from '~/lib/forms';
import { useFormAction } from './form';
import { LineItems, type LineValues } from './line-items';

type Action = (previous: FormState, form: FormData) => Promise<FormState>;

export interface InvoiceFormValues {
  customerId: string;
  number: string;
  /** The lines as the form shows them (prices written in the locale). */
  lines: LineValues[];
  currency: string;
  status: string;
  dueOn: string | null;
  notes: string | null;
}

/** An invoice: its customer, number, line items (the total computed by the server), currency, status, due date and notes. */
export function InvoiceForm({
  action,
  invoice,
  customers,
  label,
  locale = 'en-US',
  amountExample = '99.50',
}: {
  action: Action;
  invoice?: InvoiceFormValues;
  customers: { id: string; name: string }[];
  label: string;
  /** The locale the server action reads prices in (lib/locale.ts), for the running total. */
  locale?: string;
  /** 99.50 in the locale the server action reads prices in ('99,50' in de-DE). */
  amountExample?: string;
}) {
  const [state, formAction, pending] = useFormAction(action);
  const hydrated = useHydrated();
  return (
    <form method="post" action={formAction} data-testid="invoice-form" noValidate className="max-w-3xl">
      <SelectField name="customerId" label="Customer" state={state} defaultValue={invoice?.customerId}>
        <option value="">Choose…</option>
        {customers.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </SelectField>
      <TextField name="number" label="Number" state={state} defaultValue={invoice?.number} placeholder="INV-0042" />
      <LineItems state={state} initial={invoice?.lines} locale={locale} priceExample={amountExample} />
      <TextField name="currency" label="Currency" state={state} defaultValue={invoice?.currency ?? 'USD'} />
      <SelectField name="status" label="Status" state={state} defaultValue={invoice?.status ?? 'draft'}>
        {['draft', 'sent', 'paid', 'void'].map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </SelectField>
      <TextField name="dueOn" label="Due" type="date" state={state} defaultValue={invoice?.dueOn} />
      <TextareaField name="notes" label="Notes" state={state} defaultValue={invoice?.notes} />
      <FormMessage state={{ error: state.error }} />
      {/* Busy until the page has moved on after a save: no second invoice from a second click. */}
      <Button type="submit" disabled={pending || !hydrated} aria-busy={pending || undefined}>
        {pending ? 'Saving…' : label}
      </Button>
    </form>
  );
}
