import { invoiceStatus } from '@studio/db-schema/schema';
import { isUuid } from '@studio/tenancy';
import { formatAmount, parseMoney } from '@studio/ui/format';
import { z } from 'zod';
import { linesTotalCents, MAX_INVOICE_LINES, MAX_LINE_QUANTITY, parseQuantity, type LineField } from './lines';

export { lineAmountCents, lineFieldName, LINE_FIELDS, linesTotalCents, MAX_INVOICE_LINES, MAX_LINE_QUANTITY, parseQuantity, type LineField } from './lines';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The customer form. An empty email is no email. */
export const customerInput = z.object({
  name: z.string().trim().min(1, 'Name is required.').max(200, 'Name is at most 200 characters.'),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .max(320, 'Email is at most 320 characters.')
    .refine((v) => v === '' || EMAIL.test(v), 'Enter an email address such as billing@example.com, or leave it empty.')
    .transform((v) => v || null),
});

/** The most an invoice may be: amount_cents is a Postgres integer (the API has the same cap). */
export const MAX_INVOICE_CENTS = 2_000_000_000;

const LINE_KEY = /^lines\.(\d{1,3})\.(description|quantity|unitPrice)$/;

/**
 * A form's flat values (`lines.0.description`, ...) as what invoiceInput reads: the lines as an
 * array in index order, a missing field '' (so it is refused beside its input, by its name). Only
 * indices up to 999 are read; more lines than MAX_INVOICE_LINES is refused by the schema.
 */
export function invoiceFormInput(values: Record<string, string>): Record<string, unknown> {
  const lines: Record<LineField, string>[] = [];
  const rest: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    const m = LINE_KEY.exec(key);
    if (!m) {
      rest[key] = value;
      continue;
    }
    const index = Number(m[1]);
    for (let i = lines.length; i <= index; i++) lines.push({ description: '', quantity: '', unitPrice: '' });
    lines[index]![m[2] as LineField] = value;
  }
  return { ...rest, lines };
}

function lineInput(locale: string) {
  return z.object({
    description: z.string().trim().min(1, 'Description is required.').max(200, 'Description is at most 200 characters.'),
    quantity: z.string().transform((v, ctx) => {
      const quantity = parseQuantity(v, locale);
      if (quantity === null || quantity < 1) {
        ctx.addIssue({ code: 'custom', message: 'Quantity is a whole number such as 1 or 12.' });
        return z.NEVER;
      }
      if (quantity > MAX_LINE_QUANTITY) {
        ctx.addIssue({ code: 'custom', message: `Quantity is at most ${MAX_LINE_QUANTITY.toLocaleString(locale)}.` });
        return z.NEVER;
      }
      return quantity;
    }),
    unitPrice: z.string().transform((v, ctx) => {
      const parsed = parseMoney(v, locale);
      if (!parsed.ok) {
        ctx.addIssue({ code: 'custom', message: parsed.error });
        return z.NEVER;
      }
      if (parsed.cents > MAX_INVOICE_CENTS) {
        ctx.addIssue({ code: 'custom', message: `The unit price is at most ${formatAmount(MAX_INVOICE_CENTS, locale)}.` });
        return z.NEVER;
      }
      return parsed.cents;
    }),
  });
}

/**
 * The invoice form, read in the locale it was shown in (lib/locale.ts): each line's unit price is
 * typed as money the locale's way ('99.50' in en-US, '99,50' or '1.234,50' in de-DE) and read in
 * cents; the total is computed here, never taken from the client. What cannot be read is a field
 * error in words (@studio/ui/format's parseMoney) beside its input (`lines.2.unitPrice`), and a
 * problem of the lines as a whole (none, too many, a total over the cap) is the error of `lines`:
 * never a 500. Give it the form's values through invoiceFormInput.
 */
export function invoiceInput(locale: string) {
  return z
    .object({
      // The one id check (@studio/tenancy): 36 dashes passed the old pattern and reached Postgres, a 500.
      customerId: z.string().refine(isUuid, 'Choose a customer.'),
      number: z.string().trim().min(1, 'Number is required.').max(40, 'Number is at most 40 characters.'),
      lines: z
        .array(lineInput(locale))
        .min(1, 'Add at least one line.')
        .max(MAX_INVOICE_LINES, `An invoice has at most ${MAX_INVOICE_LINES} lines.`),
      currency: z
        .string()
        .trim()
        .toUpperCase()
        .regex(/^[A-Z]{3}$/, 'Currency is a three-letter code such as USD or EUR.'),
      status: z.enum(invoiceStatus.enumValues, 'Status is one of draft, sent, paid or void.'),
      dueOn: z
        .string()
        .trim()
        .refine((v) => v === '' || (/^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v))), 'Due date is a date such as 2026-12-31, or empty.')
        .transform((v) => v || null),
      notes: z
        .string()
        .max(2000, 'Notes are at most 2,000 characters.')
        .transform((v) => v.trim() || null),
    })
    .transform((input, ctx) => {
      const lines = input.lines.map(({ description, quantity, unitPrice }) => ({ description, quantity, unitAmountCents: unitPrice }));
      const amountCents = linesTotalCents(lines);
      if (amountCents > MAX_INVOICE_CENTS) {
        ctx.addIssue({ code: 'custom', path: ['lines'], message: `The total is at most ${formatAmount(MAX_INVOICE_CENTS, locale)}.` });
        return z.NEVER;
      }
      return { ...input, lines, amountCents };
    });
}

/** What an invoice made before line items (migration 0024), or with the API's `amountCents`, shows as its one line. */
export const TOTAL_LINE_DESCRIPTION = 'Invoice total';

const cents = (field: string) =>
  z
    .number(`${field} must be a whole number of cents`)
    .int(`${field} must be a whole number of cents`)
    .min(0, `${field} cannot be negative`)
    .max(MAX_INVOICE_CENTS, `${field} is at most 2,000,000,000`);

const lineBody = z
  .object({
    description: z.string('description is text').trim().min(1, 'description is required').max(200, 'description is at most 200 characters'),
    quantity: z
      .number('quantity must be a whole number')
      .int('quantity must be a whole number')
      .min(1, 'quantity is at least 1')
      .max(MAX_LINE_QUANTITY, `quantity is at most ${MAX_LINE_QUANTITY}`),
    unitAmountCents: cents('unitAmountCents'),
  })
  .strict();

/**
 * POST /api/v1/invoices' body. The new invoice: its lines (1-50 of {description, quantity, unitAmountCents}; the total is
 * computed here), or, as before line items, one `amountCents`, stored as one line "Invoice total".
 */
export const invoiceApiBody = z
  .object({
    customerId: z.string().refine(isUuid, 'customerId must be a customer id (a UUID)'),
    number: z.string().trim().min(1, 'number is required').max(40, 'number is at most 40 characters'),
    lines: z.array(lineBody).min(1, 'lines needs at least one line').max(MAX_INVOICE_LINES, `lines has at most ${MAX_INVOICE_LINES} lines`).optional(),
    amountCents: cents('amountCents').optional(),
    currency: z.string().regex(/^[A-Z]{3}$/, 'currency is a three-letter ISO code such as USD').default('USD'),
    status: z.enum(invoiceStatus.enumValues).default('draft'),
    dueOn: z.iso.date('dueOn is a date, YYYY-MM-DD').optional(),
    notes: z.string().max(2000, 'notes are at most 2,000 characters').optional(),
  })
  .strict()
  .transform(({ lines, amountCents, ...fields }, ctx) => {
    if ((lines === undefined) === (amountCents === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give either lines (each {description, quantity, unitAmountCents}) or amountCents, not both' });
      return z.NEVER;
    }
    const items = lines ?? [{ description: TOTAL_LINE_DESCRIPTION, quantity: 1, unitAmountCents: amountCents! }];
    const total = linesTotalCents(items);
    if (total > MAX_INVOICE_CENTS) {
      ctx.addIssue({ code: 'custom', message: 'the total of lines is at most 2,000,000,000 cents' });
      return z.NEVER;
    }
    return { fields: { ...fields, amountCents: total }, lines: items };
  });

export type InvoiceInput = z.infer<ReturnType<typeof invoiceInput>>;
