import { invoiceStatus } from '@studio/db-schema/schema';
import { isUuid } from '@studio/tenancy';
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

/** The invoice form: the amount is typed as money ("99.50") and stored in cents. */
export const invoiceInput = z.object({
  // The one id check (@studio/tenancy): 36 dashes passed the old pattern and reached Postgres, a 500.
  customerId: z.string().refine(isUuid, 'Choose a customer.'),
  number: z.string().trim().min(1, 'Number is required.').max(40, 'Number is at most 40 characters.'),
  amount: z
    .string()
    .trim()
    .regex(/^\d{1,8}(\.\d{1,2})?$/, 'Enter an amount such as 120 or 99.50 (at most 99,999,999.99).')
    .transform((v) => Math.round(Number(v) * 100)),
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

export type InvoiceInput = z.infer<typeof invoiceInput>;

/** Cents as money, e.g. 9950 -> "99.50". */
export function money(cents: number): string {
  return (cents / 100).toFixed(2);
}
