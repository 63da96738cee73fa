// This app's invoice form through @studio/ui/forms, read in the locale it was shown in (issue 23):
// '12,50' is a price in de-DE, refused in words (not a 500) in en-US. Its line items (issue 23
// item 6) come as `lines.<i>.<field>` inputs; the total is computed here, never sent.
import { formValues, parseInput } from '@studio/ui/forms';
import { describe, expect, it } from 'vitest';
import { invoiceFormInput, invoiceInput, parseQuantity } from '../src/lib/schemas';

const CUSTOMER = '0b0f7c52-8a35-4c44-9d5e-3f0c2a1b9e11';

type Line = [description: string, quantity: string, unitPrice: string];

function form(lines: Line[], extra: Record<string, string> = {}): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries({ customerId: CUSTOMER, number: 'INV-1', currency: 'eur', status: 'sent', dueOn: '', notes: '', ...extra })) data.append(key, value);
  lines.forEach(([description, quantity, unitPrice], i) => {
    data.append(`lines.${i}.description`, description);
    data.append(`lines.${i}.quantity`, quantity);
    data.append(`lines.${i}.unitPrice`, unitPrice);
  });
  return data;
}

/** What the server action does with a form. */
function parse(locale: string, data: FormData) {
  const values = formValues(data);
  return parseInput(invoiceInput(locale), invoiceFormInput(values), values);
}

const price = (locale: string, unitPrice: string) => parse(locale, form([['Work', '1', unitPrice]]));

describe('invoiceInput(locale) through the form helpers', () => {
  it("reads each unit price the locale's way, as cents, and totals the lines", () => {
    for (const [locale, unitPrice, cents] of [
      ['de-DE', '12,50', 1250],
      ['de-DE', '1.234,50', 123450],
      ['en-US', '12.50', 1250],
      ['en-US', '1,234,567.80', 123456780],
      ['fr-FR', '1 234,5', 123450],
    ] as const) {
      const parsed = price(locale, unitPrice);
      expect(parsed.ok, `${locale} ${unitPrice}`).toBe(true);
      expect(parsed.ok && parsed.data.lines[0]!.unitAmountCents).toBe(cents);
      expect(parsed.ok && parsed.data.amountCents).toBe(cents);
      expect(parsed.ok && parsed.data.currency).toBe('EUR');
    }
    const three = parse('de-DE', form([['Design', '3', '100,00'], ['Hosting', '12', '9,99'], ['Setup', '1.000', '0,05']]));
    expect(three.ok).toBe(true);
    if (!three.ok) return;
    expect(three.data.lines).toEqual([
      { description: 'Design', quantity: 3, unitAmountCents: 10000 },
      { description: 'Hosting', quantity: 12, unitAmountCents: 999 },
      { description: 'Setup', quantity: 1000, unitAmountCents: 5 },
    ]);
    expect(three.data.amountCents).toBe(30000 + 11988 + 5000);
    // The client cannot set the total: a field named amountCents or amount is not read.
    const sneaky = parse('en-US', form([['Work', '2', '10.00']], { amountCents: '1', amount: '1' }));
    expect(sneaky.ok && sneaky.data.amountCents).toBe(2000);
  });

  it('refuses an ambiguous or malformed price beside its input, keeping what was typed', () => {
    const enUs = price('en-US', '12,5');
    expect(enUs.ok).toBe(false);
    expect(!enUs.ok && enUs.state.fieldErrors?.['lines.0.unitPrice']).toContain('did you mean 12.50?');
    expect(!enUs.ok && enUs.state.values?.['lines.0.unitPrice']).toBe('12,5');
    const deDe = price('de-DE', '12.50');
    expect(!deDe.ok && deDe.state.fieldErrors?.['lines.0.unitPrice']).toContain('did you mean 12,50?');
    for (const unitPrice of ['', 'ten', '-1', '1.2.3']) expect(price('en-US', unitPrice).ok, unitPrice).toBe(false);
  });

  it('answers bad lines with field errors by input name, never a throw', () => {
    const bad = parse('en-US', form([['', '1', '1.00'], ['x'.repeat(201), '0', '1.00'], ['Ok', '1.5', '1.00'], ['Ok', '2', '']]));
    expect(bad.ok).toBe(false);
    const errors = !bad.ok ? bad.state.fieldErrors : {};
    expect(errors?.['lines.0.description']).toBe('Description is required.');
    expect(errors?.['lines.1.description']).toBe('Description is at most 200 characters.');
    expect(errors?.['lines.1.quantity']).toBe('Quantity is a whole number such as 1 or 12.');
    expect(errors?.['lines.2.quantity']).toBe('Quantity is a whole number such as 1 or 12.');
    expect(errors?.['lines.3.unitPrice']).toBeTruthy();
    expect(parse('en-US', form([['Ok', '1000001', '1.00']])).ok).toBe(false);
  });

  it('needs 1 to 50 lines, and a total the integer column holds', () => {
    const none = parse('en-US', form([]));
    expect(!none.ok && none.state.fieldErrors?.lines).toBe('Add at least one line.');
    const lines: Line[] = Array.from({ length: 51 }, (_, i) => [`Line ${i}`, '1', '1.00']);
    expect(parse('en-US', form(lines.slice(0, 50))).ok).toBe(true);
    const many = parse('en-US', form(lines));
    expect(!many.ok && many.state.fieldErrors?.lines).toBe('An invoice has at most 50 lines.');
    // A made-up index far away is read as that many lines, and refused as too many.
    const far = new FormData();
    for (const [key, value] of Object.entries({ customerId: CUSTOMER, number: 'INV-1', currency: 'EUR', status: 'sent', dueOn: '', notes: '', 'lines.999.description': 'x' })) far.append(key, value);
    expect(parse('en-US', far).ok).toBe(false);
    const big = parse('en-US', form([['A', '1', '20,000,000.00'], ['B', '1', '0.01']]));
    expect(!big.ok && big.state.fieldErrors?.lines).toBe('The total is at most 20,000,000.00.');
    expect(parse('en-US', form([['A', '2', '10,000,000.00']])).ok).toBe(true);
    const unit = price('en-US', '20,000,000.01');
    expect(!unit.ok && unit.state.fieldErrors?.['lines.0.unitPrice']).toBe('The unit price is at most 20,000,000.00.');
  });

  it("reads a quantity grouped the locale's way only", () => {
    expect(parseQuantity('1,000', 'en-US')).toBe(1000);
    expect(parseQuantity('1.000', 'de-DE')).toBe(1000);
    expect(parseQuantity('1\u202f000', 'fr-FR')).toBe(1000);
    expect(parseQuantity('1.000', 'en-US')).toBeNull();
    expect(parseQuantity('1,5', 'de-DE')).toBeNull();
    expect(parseQuantity('-1', 'en-US')).toBeNull();
  });
});
