// The invoice PDF a customer is sent (issue 23): issuer and customer, dates and money in the
// locale, and what the amount is by status. Read back with pdf.js, as a reader shows it.
import { createRequire } from 'node:module';
import path from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));
const { invoicePdf } = await import('../src/lib/invoice-pdf');

const standardFontDataUrl = `${path.join(path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts')}/`;

async function text(bytes: Uint8Array): Promise<string> {
  const document = await getDocument({ data: new Uint8Array(bytes), disableFontFace: true, useSystemFonts: false, isEvalSupported: false, standardFontDataUrl }).promise;
  try {
    const content = await (await document.getPage(1)).getTextContent();
    return content.items
      .map((item) => ('str' in item ? item.str : ''))
      .join(' ')
      .replace(/\u00a0/g, ' ');
  } finally {
    await document.destroy();
  }
}

const base = {
  tenant: { name: 'Acme Corp', primaryColor: '#dc2626' },
  invoice: { number: 'INV-7', status: 'sent', amountCents: 123456780, currency: 'EUR', issuedOn: '2026-11-02', dueOn: '2026-12-02', notes: 'Thanks.' },
  customer: { name: 'Zeta Widgets', email: 'billing@zeta.test' },
};
const pdf = (status: string, locale?: string) => invoicePdf({ ...base, invoice: { ...base.invoice, status }, locale }).then(text);

describe('invoicePdf', () => {
  it('names the issuer and the customer, the number and the dates, the amount due, in the locale', async () => {
    const sent = await pdf('sent', 'en-US');
    for (const part of ['Acme Corp', 'Zeta Widgets', 'billing@zeta.test', 'Invoice INV-7', 'November 2, 2026', 'December 2, 2026', 'Amount due', '€1,234,567.80']) expect(sent).toContain(part);
    expect(sent).not.toContain('VOID');
    const german = await pdf('draft', 'de-DE');
    for (const part of ['Amount due', '1.234.567,80 €', '2. November 2026']) expect(german).toContain(part);
  });

  it('says "Amount paid" for a paid invoice, and nothing is due', async () => {
    const paid = await pdf('paid', 'en-US');
    expect(paid).toContain('Amount paid');
    expect(paid).toContain('PAID');
    expect(paid).not.toContain('Amount due');
  });

  it('marks a void invoice VOID, with nothing due', async () => {
    const voided = await pdf('void', 'en-US');
    expect(voided).toContain('VOID');
    expect(voided).toContain('nothing is due');
    expect(voided).not.toContain('Amount due');
  });

  it('writes any locale in the standard fonts: Latin digits, no unprintable spaces', async () => {
    expect(await pdf('sent', 'ar-EG')).toMatch(/1[,٬]?234[,٬]?567/);
    expect(await pdf('sent', 'fr-FR')).toContain('1 234 567,80 €');
    expect(await pdf('sent', 'not a locale')).toContain('€1,234,567.80');
  });
});
