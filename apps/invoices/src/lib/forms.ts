import type { FormState as SharedFormState } from '@studio/ui/forms';

/** What a form's server action answers (@studio/ui/forms), and where to go after success. */
export interface FormState extends SharedFormState {
  /**
   * Where to go after success. Actions do not call redirect(): Next renders a server action's
   * redirect target with an internal fetch to 127.0.0.1, which loses the tenant's Host (the
   * subdomain), so the target would render as "no tenant". The form navigates instead.
   */
  redirectTo?: string;
}

/** Postgres' answer to a unique or foreign-key violation, as a code (else undefined). */
export function pgCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
