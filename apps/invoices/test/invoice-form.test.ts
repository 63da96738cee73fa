// This app's invoice form through @studio/ui/forms, read in the locale it was shown in (issue 23):
// '12,50' is an amount in de-DE, refused in words (not a 500) in en-US.
import { parseForm } from '@studio/ui/forms';
import { describe, expect, it } from 'vitest';
import { invoiceInput } from '../src/lib/schemas';

const CUSTOMER = '0b0f7c52-8a35-4c44-9d5e-3f0c2a1b9e11';

function form(amount: string): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries({ customerId: CUSTOMER, number: 'INV-1', amount, currency: 'eur', status: 'sent', dueOn: '', notes: '' })) data.append(key, value);
  return data;
}

describe('invoiceInput(locale) through parseForm', () => {
  it("reads the amount the locale's way, as cents", () => {
    for (const [locale, amount, cents] of [
      ['de-DE', '12,50', 1250],
      ['de-DE', '1.234,50', 123450],
      ['en-US', '12.50', 1250],
      ['en-US', '1,234,567.80', 123456780],
      ['fr-FR', '1 234,5', 123450],
    ] as const) {
      const parsed = parseForm(invoiceInput(locale), form(amount));
      expect(parsed.ok, `${locale} ${amount}`).toBe(true);
      expect(parsed.ok && parsed.data.amount).toBe(cents);
      expect(parsed.ok && parsed.data.currency).toBe('EUR');
    }
  });

  it('refuses an ambiguous or malformed amount beside the field, keeping what was typed', () => {
    const enUs = parseForm(invoiceInput('en-US'), form('12,5'));
    expect(enUs.ok).toBe(false);
    expect(!enUs.ok && enUs.state.fieldErrors?.amount).toContain('did you mean 12.50?');
    expect(!enUs.ok && enUs.state.values?.amount).toBe('12,5');
    const deDe = parseForm(invoiceInput('de-DE'), form('12.50'));
    expect(!deDe.ok && deDe.state.fieldErrors?.amount).toContain('did you mean 12,50?');
    for (const amount of ['', 'ten', '-1', '1.2.3']) expect(parseForm(invoiceInput('en-US'), form(amount)).ok, amount).toBe(false);
  });

  it('refuses more than the integer column holds, in words', () => {
    const big = parseForm(invoiceInput('en-US'), form('20,000,000.01'));
    expect(!big.ok && big.state.fieldErrors?.amount).toBe('The amount is at most 20,000,000.00.');
    expect(parseForm(invoiceInput('en-US'), form('20,000,000.00')).ok).toBe(true);
  });
});
