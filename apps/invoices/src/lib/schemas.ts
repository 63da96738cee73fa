import { invoiceStatus } from '@studio/db-schema/schema';
import { isUuid } from '@studio/tenancy';
import { formatAmount, parseMoney } from '@studio/ui/format';
import { z } from 'zod';

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

/**
 * The invoice form, read in the locale it was shown in (lib/locale.ts): the amount is typed as
 * money the locale's way ('99.50' in en-US, '99,50' or '1.234,50' in de-DE) and stored in cents.
 * What cannot be read is a field error in words (@studio/ui/format's parseMoney), never a 500.
 */
export function invoiceInput(locale: string) {
  return z.object({
    // The one id check (@studio/tenancy): 36 dashes passed the old pattern and reached Postgres, a 500.
    customerId: z.string().refine(isUuid, 'Choose a customer.'),
    number: z.string().trim().min(1, 'Number is required.').max(40, 'Number is at most 40 characters.'),
    amount: z.string().transform((v, ctx) => {
      const parsed = parseMoney(v, locale);
      if (!parsed.ok) {
        ctx.addIssue({ code: 'custom', message: parsed.error });
        return z.NEVER;
      }
      if (parsed.cents > MAX_INVOICE_CENTS) {
        ctx.addIssue({ code: 'custom', message: `The amount is at most ${formatAmount(MAX_INVOICE_CENTS, locale)}.` });
        return z.NEVER;
      }
      return parsed.cents;
    }),
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
  });
}

export type InvoiceInput = z.infer<ReturnType<typeof invoiceInput>>;
