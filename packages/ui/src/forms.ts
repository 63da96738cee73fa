/**
 * Form state for server actions, shared by every app (`@studio/ui/forms`): what an action answers,
 * a form's typed values, and a schema's issues as one message per field. Server-safe (no React,
 * no 'use client'); the schema is typed by its shape, so this package needs no zod of its own:
 * a zod schema (or anything with the same `safeParse`) fits.
 */

/** What a form's server action answers; an app may extend it (where to go next, "saved"). */
export interface FormState<Field extends string = string, Values = Partial<Record<Field, string>>> {
  /** Success, as a sentence to show. */
  ok?: string;
  /** A problem with the whole form (an issue with no path, a refusal of the server). */
  error?: string;
  /** The first problem of each field, keyed by the input's name (nested paths joined with dots: `items.0.name`). */
  fieldErrors?: Partial<Record<Field, string>>;
  /** What was typed, so a refused form keeps it. */
  values?: Values;
}

/** One problem of a schema, as zod reports it: where (a path of keys) and what. */
export interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** A failed parse: zod's ZodError has this shape. */
export interface IssueList {
  readonly issues: readonly Issue[];
}

/** A schema with zod's `safeParse`. */
export interface FormSchema<T> {
  safeParse(input: unknown): { success: true; data: T } | { success: false; error: IssueList };
}

/** The outcome of parsing a form: the data, or the state to answer with (errors and what was typed). */
export type ParsedForm<T, Values> = { ok: true; data: T; values: Values } | { ok: false; state: FormState<string, Values> };

/** A path as a field name: `email`; `items.0.name` when nested; '' for the whole form. */
export function fieldName(path: readonly PropertyKey[]): string {
  return path.map((key) => (typeof key === 'symbol' ? (key.description ?? '') : String(key))).join('.');
}

/**
 * A schema's issues as form state: the first message of each field in `fieldErrors`, the first
 * issue without a path in `error`. Keys come from the schema's paths (which may hold keys of the
 * input, for a record): they are own properties, so `__proto__` or `constructor` are plain fields.
 */
export function formStateFromZodError(error: IssueList): { fieldErrors: Record<string, string>; error?: string } {
  const fields = new Map<string, string>();
  let formError: string | undefined;
  for (const issue of error.issues) {
    const name = fieldName(issue.path);
    if (name === '') formError ??= issue.message;
    else if (!fields.has(name)) fields.set(name, issue.message);
  }
  // fromEntries defines own properties: no key reaches the prototype.
  const state: { fieldErrors: Record<string, string>; error?: string } = { fieldErrors: Object.fromEntries(fields) };
  if (formError !== undefined) state.error = formError;
  return state;
}

/**
 * The form's text values: `fields` given, each of them ('' when missing or a file); otherwise
 * every text entry except React's own (`$ACTION_...`). A repeated name keeps its first value, as
 * `FormData.get` does.
 */
export function formValues<Field extends string>(form: FormData, fields: readonly Field[]): Record<Field, string>;
export function formValues(form: FormData): Record<string, string>;
export function formValues(form: FormData, fields?: readonly string[]): Record<string, string> {
  const values = new Map<string, string>();
  if (fields) {
    for (const name of fields) {
      const value = form.get(name);
      values.set(name, typeof value === 'string' ? value : '');
    }
  } else {
    for (const [key, value] of form) if (typeof value === 'string' && !key.startsWith('$') && !values.has(key)) values.set(key, value);
  }
  return Object.fromEntries(values);
}

/**
 * Validates `input` with `schema`: the data, or the state a refused form answers with (its
 * errors and `values`, what was typed). `input` is what the schema reads, `values` what the form
 * shows again; they differ when, say, a checkbox is read as a boolean.
 */
export function parseInput<T, Values>(schema: FormSchema<T>, input: unknown, values: Values): ParsedForm<T, Values> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data, values };
  return { ok: false, state: { ...formStateFromZodError(result.error), values } };
}

/** Reads and validates a form: its text values (`fields`, or all of them) through `schema`. */
export function parseForm<T, Field extends string>(schema: FormSchema<T>, form: FormData, fields: readonly Field[]): ParsedForm<T, Record<Field, string>>;
export function parseForm<T>(schema: FormSchema<T>, form: FormData): ParsedForm<T, Record<string, string>>;
export function parseForm<T>(schema: FormSchema<T>, form: FormData, fields?: readonly string[]): ParsedForm<T, Record<string, string>> {
  const values = fields ? formValues(form, fields) : formValues(form);
  return parseInput(schema, values, values);
}
