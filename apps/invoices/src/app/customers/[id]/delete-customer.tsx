'use client';

import { DeleteForm } from '~/components/form';
import type { FormState } from '~/lib/forms';

type Action = (previous: FormState, form: FormData) => Promise<FormState>;

/** Delete, after a confirmation; a refusal (the customer still has invoices) is said beside it. */
export function DeleteCustomer({ action, name }: { action: Action; name: string }) {
  return <DeleteForm action={action} what={name} label="Delete customer" />;
}
