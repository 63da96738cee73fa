// The invoice PDF a customer is sent (issue 23): issuer and customer, dates and money in the
// locale, and what the amount is by status. Read back with pdf.js, as a reader shows it.
import { createRequire } from 'node:module';
import path from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));
const { invoicePdf, wrapText } = await import('../src/lib/invoice-pdf');

const standardFontDataUrl = `${path.join(path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts')}/`;

/** Every page's text, one string a page. */
async function pages(bytes: Uint8Array): Promise<string[]> {
  const document = await getDocument({ data: new Uint8Array(bytes), disableFontFace: true, useSystemFonts: false, isEvalSupported: false, standardFontDataUrl }).promise;
  try {
    const texts: string[] = [];
    for (let n = 1; n <= document.numPages; n++) {
      const content = await (await document.getPage(n)).getTextContent();
      texts.push(
        content.items
          .map((item) => ('str' in item ? item.str : ''))
          .join(' ')
          .replace(/\u00a0/g, ' '),
      );
    }
    return texts;
  } finally {
    await document.destroy();
  }
}

const text = async (bytes: Uint8Array) => (await pages(bytes)).join(' ');

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

  it('lists the line items (description, quantity, unit price, amount) and their total', async () => {
    const lines = [
      { description: 'Design work', quantity: 3, unitAmountCents: 100_000 },
      { description: 'Hosting (monthly)', quantity: 12, unitAmountCents: 999 },
    ];
    const bytes = await invoicePdf({ ...base, invoice: { ...base.invoice, amountCents: 311_988 }, lines, locale: 'de-DE' });
    const all = await pages(bytes);
    expect(all).toHaveLength(1);
    for (const part of ['DESCRIPTION', 'QTY', 'UNIT PRICE', 'AMOUNT', 'Design work', '1.000,00 €', '3.000,00 €', 'Hosting (monthly)', '9,99 €', '119,88 €', 'Total', '3.119,88 €'])
      expect(all[0]).toContain(part);
    // The total comes after the lines, and the amount due after the total.
    expect(all[0]!.indexOf('Hosting (monthly)')).toBeLessThan(all[0]!.indexOf('Total'));
    expect(all[0]!.indexOf('Total')).toBeLessThan(all[0]!.indexOf('Amount due'));
  });

  it('reads an invoice given no lines as one line of its total', async () => {
    const sent = await pdf('sent', 'en-US');
    expect(sent).toContain('Invoice total');
    expect(sent.match(/€1,234,567\.80/g)?.length).toBeGreaterThanOrEqual(3);
  });

  it('wraps a long description and goes on to further pages, the total at the end, VOID on every page', async () => {
    const long = `Consulting ${'and further detailed analysis of the requirements '.repeat(4)}end-of-line`;
    const lines = Array.from({ length: 50 }, (_, i) => ({ description: i === 0 ? long : `Item number ${i + 1}`, quantity: 1, unitAmountCents: 100 }));
    const bytes = await invoicePdf({ ...base, invoice: { ...base.invoice, status: 'void', amountCents: 5000 }, lines, locale: 'en-US' });
    const all = await pages(bytes);
    expect(all.length).toBeGreaterThan(1);
    expect(all[0]).toContain('Item number 2');
    expect(all[0]).toContain('end-of-line');
    expect(all[0]).not.toContain('Amount (void');
    const end = all.find((page) => page.includes('Item number 50'))!;
    expect(end).not.toBe(all[0]);
    // A continued page repeats the table's head.
    expect(end).toContain('(continued)');
    expect(end).toContain('DESCRIPTION');
    expect(end).toMatch(/Item number 50.*Total\s+€50\.00/);
    for (const page of all) expect(page).toContain('VOID');
    expect(all[all.length - 1]).toContain(`page ${all.length} of ${all.length}`);
  });

  it('wraps at spaces, and cuts a word wider than the column', async () => {
    const { PDFDocument, StandardFonts } = await import('pdf-lib');
    const font = await (await PDFDocument.create()).embedFont(StandardFonts.Helvetica);
    const wrapped = wrapText('one two three four five six seven', font, 10, 60);
    expect(wrapped.length).toBeGreaterThan(1);
    for (const line of wrapped) expect(font.widthOfTextAtSize(line, 10)).toBeLessThanOrEqual(60);
    expect(wrapped.join(' ')).toBe('one two three four five six seven');
    const cut = wrapText('x'.repeat(200), font, 10, 100);
    expect(cut.join('')).toBe('x'.repeat(200));
    for (const line of cut) expect(font.widthOfTextAtSize(line, 10)).toBeLessThanOrEqual(100);
  });
});
