'use client';

import { useRouter } from 'next/navigation';
import { FormMessage } from '@studio/ui/components';
import { ConfirmDialog } from '@studio/ui/interactive';
import { useActionState, useEffect, useTransition } from 'react';
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

type Action = (previous: FormState, form: FormData) => Promise<FormState>;

/**
 * Delete behind a confirmation dialog that says what goes; a refusal (the customer still has
 * invoices) is said beside the button, in words.
 */
export function DeleteForm({ action, what, label }: { action: Action; what: string; label: string }) {
  const [state, formAction] = useFormAction(action);
  return (
    <div data-testid="delete-form">
      <FormMessage state={{ error: state.error }} />
      <ConfirmDialog
        trigger={label}
        title={`Delete ${what}?`}
        description="This cannot be undone. It is recorded in the audit trail."
        confirmLabel={label}
        action={formAction}
      />
    </div>
  );
}
