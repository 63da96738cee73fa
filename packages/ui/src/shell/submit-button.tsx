'use client';

import type { ReactNode } from 'react';
import { useFormStatus } from 'react-dom';
import { Button, type ButtonVariant } from '../components/button';
import { useHydrated } from '../use-hydrated';

/**
 * A form's submit button: disabled until the page has hydrated (a click before would submit
 * natively) and while the action runs, saying so (`pendingLabel`) with aria-busy.
 */
export function SubmitButton({ children, pendingLabel, variant = 'primary', ...rest }: { children: ReactNode; pendingLabel?: ReactNode; variant?: ButtonVariant; 'data-testid'?: string; name?: string; value?: string }) {
  const { pending } = useFormStatus();
  const hydrated = useHydrated();
  return (
    <Button type="submit" variant={variant} disabled={pending || !hydrated} aria-busy={pending || undefined} {...rest}>
      {pending ? (pendingLabel ?? children) : children}
    </Button>
  );
}
