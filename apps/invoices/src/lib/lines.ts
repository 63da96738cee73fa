/**
 * Line-item arithmetic shared by the server (lib/schemas.ts) and the form's running total
 * (components/line-items.tsx): pure, no server-only import, so the client bundle can take it.
 * Money is in cents and quantities are whole numbers, so every total is exact.
 */

/** How many lines an invoice may have, and the most of one line's quantity. */
export const MAX_INVOICE_LINES = 50;
export const MAX_LINE_QUANTITY = 1_000_000;

/** The form's inputs of line `index`: `lines.<index>.<field>` (invoiceFormInput reads them back). */
export const LINE_FIELDS = ['description', 'quantity', 'unitPrice'] as const;
export type LineField = (typeof LINE_FIELDS)[number];
export const lineFieldName = (index: number, field: LineField) => `lines.${index}.${field}`;

/** One line's amount: quantity x unit price, in cents. */
export function lineAmountCents(line: { quantity: number; unitAmountCents: number }): number {
  return line.quantity * line.unitAmountCents;
}

/** The invoice's total: the sum of its lines (what invoices.amount_cents stores). */
export function linesTotalCents(lines: readonly { quantity: number; unitAmountCents: number }[]): number {
  return lines.reduce((sum, line) => sum + lineAmountCents(line), 0);
}

/** The locale's thousands separator ('.' in de-DE, ',' in en-US), with Intl's spaces as a plain space. */
function groupSeparator(locale: string): string {
  let group = ',';
  try {
    group = new Intl.NumberFormat(locale).formatToParts(1000000).find((part) => part.type === 'group')?.value ?? ',';
  } catch {
    // An unknown locale reads as en-US.
  }
  return /\s/.test(group) ? ' ' : group;
}

/**
 * Quantity: a whole number typed plainly ('3', '1000') or grouped by thousands the locale's way
 * ('1,000' in en-US, '1.000' in de-DE, '1 000' in fr-FR); null otherwise ('1.5', or '1.000' in
 * en-US, which might mean one).
 */
export function parseQuantity(text: string, locale: string): number | null {
  const typed = text.trim().replace(/[\s\u00a0\u202f]/g, ' ');
  if (/^\d{1,9}$/.test(typed)) return Number(typed);
  const group = groupSeparator(locale);
  const parts = typed.split(group);
  if (parts.length < 2 || parts.length > 3 || !/^\d{1,3}$/.test(parts[0]!) || !parts.slice(1).every((p) => /^\d{3}$/.test(p))) return null;
  return Number(parts.join(''));
}
