/**
 * Issue 19: the console's break-glass form accepted a reason of ten invisible characters (it
 * counted characters after trim(), which keeps zero-width spaces). The form now asks the package
 * the same question the grant does: are there visible words?
 */
import { describe, expect, it } from 'vitest';
import { parseBreakGlass, parseInvoiceStatus } from '../../src/lib/forms';

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
}

describe('the break-glass form', () => {
  it('refuses ten invisible characters as a reason', () => {
    for (const reason of ['\u200b'.repeat(10), '\u3164'.repeat(10), `\u200e${'\u2060'.repeat(12)}`]) {
      const parsed = parseBreakGlass(form({ reason, minutes: '30' }));
      expect(parsed.ok).toBe(false);
      expect(!parsed.ok && parsed.state.fieldErrors?.reason).toMatch(/reason in words/);
    }
  });

  it('keeps a reason in words as a reader sees it', () => {
    const parsed = parseBreakGlass(form({ reason: ' Ticket\u200b 4420:  totals look wrong ', minutes: '30' }));
    expect(parsed.ok && parsed.data.reason).toBe('Ticket 4420: totals look wrong');
  });

  it('refuses an invoice id of 36 dashes before any query', () => {
    const parsed = parseInvoiceStatus(form({ invoiceId: '-'.repeat(36), status: 'paid' }));
    expect(!parsed.ok && parsed.state.fieldErrors?.invoiceId).toBe('Unknown invoice.');
  });
});
