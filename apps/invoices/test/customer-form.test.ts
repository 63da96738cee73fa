// This app's customer form through @studio/ui/forms (the helper's own tests are in
// packages/ui/test/forms.test.ts): what a user sees for what they typed.
import { parseForm } from '@studio/ui/forms';
import { describe, expect, it } from 'vitest';
import { customerInput } from '../src/lib/schemas';

function form(entries: [string, string][]): FormData {
  const data = new FormData();
  for (const [key, value] of entries) data.append(key, value);
  return data;
}

describe('customerInput through parseForm', () => {
  it('trims the name, lowercases the email; else one message per field and what was typed', () => {
    const ok = parseForm(customerInput, form([['name', ' Acme '], ['email', 'BILLING@ACME.TEST']]));
    expect(ok).toEqual({ ok: true, data: { name: 'Acme', email: 'billing@acme.test' }, values: { name: ' Acme ', email: 'BILLING@ACME.TEST' } });

    const bad = parseForm(customerInput, form([['name', '   '], ['email', 'nope']]));
    expect(bad).toEqual({
      ok: false,
      state: {
        fieldErrors: { name: 'Name is required.', email: 'Enter an email address such as billing@example.com, or leave it empty.' },
        values: { name: '   ', email: 'nope' },
      },
    });
  });

  it('an empty email is no email; a missing field is an error on that field', () => {
    expect(parseForm(customerInput, form([['name', 'Acme'], ['email', '']]))).toMatchObject({ ok: true, data: { name: 'Acme', email: null } });
    expect(parseForm(customerInput, form([]))).toMatchObject({ ok: false, state: { fieldErrors: { name: expect.any(String), email: expect.any(String) }, values: {} } });
  });
});
