// @studio/ui/forms, the one form state of the apps: a schema's issues as one message per field,
// with real zod schemas. The apps' own forms through it: apps/invoices/test/customer-form.test.ts.
import { fieldName, formStateFromZodError, formValues, parseForm, parseInput } from '@studio/ui/forms';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

/** A form schema shaped like the apps' (apps/invoices' customer form): trims, lowercases, an empty email is none. */
const customerInput = z.object({
  name: z.string().trim().min(1, 'Name is required.'),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .refine((v) => v === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v), 'Enter an email address, or leave it empty.')
    .transform((v) => v || null),
});

function form(entries: [string, string | Blob][]): FormData {
  const data = new FormData();
  for (const [key, value] of entries) data.append(key, value);
  return data;
}

describe('formStateFromZodError', () => {
  it('gives the first message of each field, by input name', () => {
    const schema = z.object({ name: z.string().min(3, 'Too short.').regex(/^[a-z]+$/, 'Letters only.'), email: z.email('Not an email.') });
    const result = schema.safeParse({ name: '1', email: 'x' });
    expect(result.success).toBe(false);
    expect(formStateFromZodError(result.error!)).toEqual({ fieldErrors: { name: 'Too short.', email: 'Not an email.' } });
  });

  it('names nested fields by their path joined with dots (objects, arrays, records)', () => {
    const schema = z.object({
      address: z.object({ city: z.string().min(1, 'City is required.') }),
      items: z.array(z.object({ name: z.string().min(1, 'Name the item.') })),
      tags: z.record(z.string(), z.number('A number.')),
    });
    const result = schema.safeParse({ address: { city: '' }, items: [{ name: 'ok' }, { name: '' }], tags: { a: 1, b: 'x' } });
    expect(formStateFromZodError(result.error!)).toEqual({
      fieldErrors: { 'address.city': 'City is required.', 'items.1.name': 'Name the item.', 'tags.b': 'A number.' },
    });
  });

  it('puts an issue without a path (a refinement of the whole form) in error, the first one', () => {
    const schema = z
      .object({ password: z.string(), repeat: z.string() })
      .refine((v) => v.password === v.repeat, 'The passwords differ.')
      .refine(() => false, 'Second form-wide problem.');
    const result = schema.safeParse({ password: 'a', repeat: 'b' });
    expect(formStateFromZodError(result.error!)).toEqual({ fieldErrors: {}, error: 'The passwords differ.' });
    expect(formStateFromZodError({ issues: [] })).toEqual({ fieldErrors: {} });
  });

  it('keeps keys from the input as own properties: __proto__, constructor, toString are fields like any other', () => {
    // A record's keys come from the input: here, what an attacker typed.
    const schema = z.record(z.string(), z.string().max(1, 'One character.'));
    const input = JSON.parse('{"__proto__": "xx", "constructor": "xx", "toString": "xx", "hasOwnProperty": "xx"}') as Record<string, string>;
    const result = schema.safeParse(input);
    const state = formStateFromZodError(result.error!);
    // (zod itself skips a __proto__ key; the inherited names would be skipped by `errors[key] ??= message`.)
    expect(Object.keys(state.fieldErrors).sort()).toEqual(['constructor', 'hasOwnProperty', 'toString']);
    expect(state.fieldErrors.constructor).toBe('One character.');
    // Serializable as a server action's answer.
    expect(JSON.parse(JSON.stringify(state)).fieldErrors.toString).toBe('One character.');
    // A __proto__ path (another schema library, or a later zod) is an own field, not the prototype.
    const proto = formStateFromZodError({ issues: [{ path: ['__proto__'], message: 'Polluted?' }, { path: ['__proto__', 'polluted'], message: 'x' }] });
    expect(Object.hasOwn(proto.fieldErrors, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(proto.fieldErrors)).toBe(Object.prototype);
    expect(proto.fieldErrors['__proto__.polluted']).toBe('x');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('accepts the issues of any schema library of the same shape (symbol and number keys)', () => {
    const key = Symbol('secret');
    expect(formStateFromZodError({ issues: [{ path: [key], message: 'a' }, { path: [0, 'x'], message: 'b' }] })).toEqual({ fieldErrors: { secret: 'a', '0.x': 'b' } });
    expect(fieldName([])).toBe('');
    expect(fieldName(['items', 2, 'name'])).toBe('items.2.name');
  });
});

describe('formValues', () => {
  it('keeps every text entry but React’s own, the first of a repeated name, and no file', () => {
    const data = form([
      ['name', 'Acme'],
      ['$ACTION_ID_abc', 'x'],
      ['$ACTION_REF_1', ''],
      ['name', 'second'],
      ['logo', new Blob(['png'])],
      ['__proto__', 'p'],
    ]);
    const values = formValues(data);
    expect(values).toEqual({ name: 'Acme', ['__proto__']: 'p' });
    expect(Object.hasOwn(values, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(values)).toBe(Object.prototype);
  });

  it('with fields, each of them: empty when missing or a file', () => {
    const data = form([
      ['slug', 'acme'],
      ['reason', new Blob(['not text'])],
      ['extra', 'ignored'],
    ]);
    expect(formValues(data, ['slug', 'name', 'reason'])).toEqual({ slug: 'acme', name: '', reason: '' });
  });
});

describe('parseForm / parseInput', () => {
  it('answers the data, or the state to return: field errors and what was typed', () => {
    const ok = parseForm(customerInput, form([['name', ' Acme '], ['email', 'BILLING@ACME.TEST']]));
    expect(ok).toEqual({ ok: true, data: { name: 'Acme', email: 'billing@acme.test' }, values: { name: ' Acme ', email: 'BILLING@ACME.TEST' } });

    const bad = parseForm(customerInput, form([['name', '   '], ['email', 'nope']]));
    expect(bad).toEqual({
      ok: false,
      state: {
        fieldErrors: { name: 'Name is required.', email: 'Enter an email address, or leave it empty.' },
        values: { name: '   ', email: 'nope' },
      },
    });
  });

  it('reads only the fields named, so nothing else reaches the schema', () => {
    const schema = z.object({ name: z.string() }).strict();
    expect(parseForm(schema, form([['name', 'a'], ['isAdmin', 'true']]), ['name']).ok).toBe(true);
    expect(parseForm(schema, form([['name', 'a'], ['isAdmin', 'true']])).ok).toBe(false);
  });

  it('validates what the schema reads and echoes what the form shows (a checkbox as a boolean)', () => {
    const schema = z.object({ agree: z.literal(true, 'Tick the box.') });
    const values = formValues(form([]), ['agree']);
    const parsed = parseInput(schema, { agree: values.agree === 'on' }, values);
    expect(parsed).toEqual({ ok: false, state: { fieldErrors: { agree: 'Tick the box.' }, values: { agree: '' } } });
  });

  it('a missing field is an error on that field, not a crash', () => {
    expect(parseForm(customerInput, form([]))).toMatchObject({ ok: false, state: { fieldErrors: { name: expect.any(String), email: expect.any(String) }, values: {} } });
  });
});
