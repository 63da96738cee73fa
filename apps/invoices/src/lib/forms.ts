import type { z } from 'zod';

/** What a form's server action answers: field errors next to their inputs, or one error for the whole form. */
export interface FormState {
  /** The first problem of each field, keyed by the input's name. */
  fieldErrors?: Record<string, string>;
  error?: string;
  /** What was typed, so a refused form keeps it. */
  values?: Record<string, string>;
  /**
   * Where to go after success. Actions do not call redirect(): Next renders a server action's
   * redirect target with an internal fetch to 127.0.0.1, which loses the tenant's Host (the
   * subdomain), so the target would render as "no tenant". The form navigates instead.
   */
  redirectTo?: string;
}

export function formValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of form) if (typeof value === 'string' && !key.startsWith('$')) values[key] = value;
  return values;
}

export function fieldErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? 'form');
    errors[key] ??= issue.message;
  }
  return errors;
}

/** Postgres' answer to a unique or foreign-key violation, as a code (else undefined). */
export function pgCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
