'use client';

import { useHydrated } from '@studio/ui';
import { Button, FormMessage } from '@studio/ui/components';
import { useFormAction } from '~/components/form';
import type { FormState } from '~/lib/forms';

type Action = (previous: FormState, form: FormData) => Promise<FormState>;

/** Delete, after the browser asks; a refusal (the customer still has invoices) is said beside it. */
export function DeleteCustomer({ action, name }: { action: Action; name: string }) {
  const [state, formAction, pending] = useFormAction(action);
  const hydrated = useHydrated();
  return (
    <form
      method="post"
      action={formAction}
      data-testid="delete-form"
      onSubmit={(event) => {
        if (!window.confirm(`Delete ${name}? This cannot be undone.`)) event.preventDefault();
      }}
    >
      <FormMessage state={{ error: state.error }} />
      <Button type="submit" variant="danger" disabled={pending || !hydrated} aria-busy={pending || undefined}>
        {pending ? 'Deleting…' : 'Delete customer'}
      </Button>
    </form>
  );
}
