import 'server-only';
import { formatDate, formatMoney, formatNumber, safeLocale } from '@studio/ui/format';
import { degrees, PDFDocument, rgb, StandardFonts, type PDFFont } from 'pdf-lib';

export interface InvoicePdfInput {
  /** The issuer: the tenant's name and branding colour. */
  tenant: { name: string; primaryColor: string };
  invoice: { number: string; status: string; amountCents: number; currency: string; issuedOn: string; dueOn: string | null; notes: string | null };
  customer: { name: string; email: string | null };
  /**
   * The line items, in order (lib/invoices.ts findInvoiceLines). None given: one line "Invoice
   * total" at amountCents, as an invoice made before line items reads.
   */
  lines?: readonly { description: string; quantity: number; unitAmountCents: number }[];
  /** Money and dates are written in this locale (lib/locale.ts); en-US when not given. */
  locale?: string;
}

/** '#dc2626' -> pdf-lib colour; anything else is the platform blue. */
function colour(hex: string) {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex.trim());
  const [r, g, b] = m ? [m[1], m[2], m[3]].map((h) => parseInt(h!, 16) / 255) : [0x25 / 255, 0x63 / 255, 0xeb / 255];
  return rgb(r!, g!, b!);
}

/** The characters of WinAnsi beyond Latin-1 (the € sign, typographic quotes, dashes...). */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/**
 * Standard fonts carry WinAnsi only: a character outside it (a name in another script) would make
 * pdf-lib throw, so it is replaced rather than failing the whole PDF. Intl's narrow and thin
 * spaces (fr-FR groups thousands with U+202F) become a no-break space, its minus a hyphen.
 */
function printable(text: string): string {
  return text
    .replace(/[\u202f\u2009\u2007]/g, '\u00a0')
    .replace(/\u2212/g, '-')
    .replace(/[^\x20-\x7e\xa0-\xff]/g, (c) => (WIN_ANSI_EXTRA.has(c) ? c : '?'));
}

/** The locale with Latin digits: the standard fonts have no other digits (ar-EG writes ١٢٣). */
function pdfLocale(locale: string | undefined): string {
  const safe = safeLocale(locale);
  try {
    return new Intl.Locale(safe, { numberingSystem: 'latn' }).toString();
  } catch {
    return safe;
  }
}

/** What the amount is, by status: what the customer owes, what they paid, or nothing at all. */
export function amountLabel(status: string): string {
  if (status === 'paid') return 'Amount paid';
  if (status === 'void') return 'Amount (void, nothing is due)';
  return 'Amount due';
}

const STATUS_WORDS: Record<string, string> = { draft: 'Draft', sent: 'Sent', paid: 'Paid', void: 'Void' };

/** `text` in lines no wider than `maxWidth` at `size`: at spaces, and inside a word longer than a line. */
export function wrapText(text: string, font: PDFFont, size: number, maxWidth: number): string[] {
  const lines: string[] = [];
  let current = '';
  const fits = (t: string) => font.widthOfTextAtSize(t, size) <= maxWidth;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = current ? `${current} ${word}` : word;
    if (fits(candidate)) {
      current = candidate;
      continue;
    }
    if (current) lines.push(current);
    current = '';
    // A word wider than the column is cut where it fills a line.
    let rest = word;
    while (!fits(rest)) {
      let cut = rest.length - 1;
      while (cut > 1 && !fits(rest.slice(0, cut))) cut--;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    current = rest;
  }
  if (current || lines.length === 0) lines.push(current);
  return lines;
}

const A4: [number, number] = [595.28, 841.89];
/** Lower than this a page has no room left: the footer lives below it. */
const BOTTOM = 72;

/**
 * The invoice as an A4 PDF a customer can be sent: the issuer (the tenant's name, in its own
 * colour), the customer (name, email), the number and dates, the line items (description, wrapped;
 * quantity, unit price, amount) continuing on further pages as needed, their total, and the amount
 * by status: "Amount due" for a draft or sent invoice, "Amount paid" for a paid one, and a void
 * invoice marked VOID across every page. Money and dates in the given locale.
 */
export async function invoicePdf({ tenant, invoice, customer, lines, locale }: InvoicePdfInput): Promise<Uint8Array> {
  const loc = pdfLocale(locale);
  const pdf = await PDFDocument.create();
  pdf.setTitle(printable(`Invoice ${invoice.number} - ${tenant.name}${invoice.status === 'void' ? ' (VOID)' : ''}`));
  pdf.setAuthor(printable(tenant.name));
  pdf.setProducer('studio invoices');
  let page = pdf.addPage(A4);
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const brand = colour(tenant.primaryColor);
  const grey = rgb(0.4, 0.4, 0.4);
  const ink = rgb(0.1, 0.1, 0.1);
  const red = rgb(0.73, 0.11, 0.11);
  const { width, height } = page.getSize();
  const money = (cents: number) => printable(formatMoney(cents, invoice.currency, loc));
  const rightAt = (edge: number, text: string, y: number, size: number, font = regular, color = ink) =>
    page.drawText(text, { x: edge - font.widthOfTextAtSize(text, size), y, size, font, color });
  const right = (text: string, y: number, size: number, font = regular, color = ink) => rightAt(width - 48, text, y, size, font, color);

  // Issuer: the band in the tenant's colour, with its name.
  page.drawRectangle({ x: 0, y: height - 90, width, height: 90, color: brand });
  page.drawText(printable(tenant.name), { x: 48, y: height - 58, size: 26, font: bold, color: rgb(1, 1, 1) });
  right('INVOICE', height - 56, 16, bold, rgb(1, 1, 1));

  let y = height - 140;
  page.drawText(printable(`Invoice ${invoice.number}`), { x: 48, y, size: 20, font: bold, color: brand });
  const statusWord = STATUS_WORDS[invoice.status] ?? invoice.status;
  right(printable(statusWord.toUpperCase()), y, 14, bold, invoice.status === 'void' ? red : invoice.status === 'paid' ? rgb(0.08, 0.5, 0.24) : grey);
  y -= 40;

  // From (the issuer) and Bill to (the customer), side by side.
  const top = y;
  const block = (x: number, heading: string, texts: string[]) => {
    let at = top;
    page.drawText(heading, { x, y: at, size: 10, font: bold, color: grey });
    at -= 16;
    texts.forEach((text, i) => {
      page.drawText(printable(text), { x, y: at, size: 12, font: i === 0 ? bold : regular, color: ink });
      at -= 16;
    });
    return at;
  };
  const afterFrom = block(48, 'FROM', [tenant.name]);
  const afterTo = block(width / 2, 'BILL TO', customer.email ? [customer.name, customer.email] : [customer.name]);
  y = Math.min(afterFrom, afterTo) - 14;

  const line = (label: string, value: string, size = 12, font = regular) => {
    page.drawText(label, { x: 48, y, size, font: bold, color: rgb(0.2, 0.2, 0.2) });
    page.drawText(printable(value), { x: 200, y, size, font, color: ink });
    y -= size + 10;
  };
  line('Invoice number', invoice.number);
  line('Issued', formatDate(invoice.issuedOn, loc, 'long'));
  if (invoice.status !== 'paid' && invoice.status !== 'void') line('Due', invoice.dueOn ? formatDate(invoice.dueOn, loc, 'long') : 'On receipt');
  else if (invoice.dueOn) line('Was due', formatDate(invoice.dueOn, loc, 'long'));
  line('Status', statusWord);
  y -= 10;

  /** A new page when fewer than `needed` points are left above the footer: the table goes on there. */
  const room = (needed: number, onNewPage?: () => void) => {
    if (y - needed >= BOTTOM) return;
    page = pdf.addPage(A4);
    page.drawRectangle({ x: 0, y: height - 6, width, height: 6, color: brand });
    y = height - 48;
    page.drawText(printable(`Invoice ${invoice.number} (continued)`), { x: 48, y, size: 12, font: bold, color: brand });
    y -= 28;
    onNewPage?.();
  };

  // The line items: description (wrapped), quantity, unit price, amount.
  const items = lines && lines.length > 0 ? lines : [{ description: 'Invoice total', quantity: 1, unitAmountCents: invoice.amountCents }];
  const SIZE = 10;
  const LEADING = 13;
  const col = { description: 48, descriptionWidth: 270, quantity: 375, unitPrice: 462, amount: width - 48 };
  const tableHeader = () => {
    page.drawText('DESCRIPTION', { x: col.description, y, size: 9, font: bold, color: grey });
    rightAt(col.quantity, 'QTY', y, 9, bold, grey);
    rightAt(col.unitPrice, 'UNIT PRICE', y, 9, bold, grey);
    rightAt(col.amount, 'AMOUNT', y, 9, bold, grey);
    y -= 6;
    page.drawLine({ start: { x: 48, y }, end: { x: width - 48, y }, thickness: 1, color: brand });
    y -= 14;
  };
  room(60);
  tableHeader();
  for (const item of items) {
    const texts = wrapText(printable(item.description), regular, SIZE, col.descriptionWidth);
    // A description longer than a page goes on over pages; a row that fits moves whole.
    room(Math.min(texts.length, 40) * LEADING, tableHeader);
    rightAt(col.quantity, printable(formatNumber(item.quantity, loc)), y, SIZE);
    rightAt(col.unitPrice, money(item.unitAmountCents), y, SIZE);
    rightAt(col.amount, money(item.quantity * item.unitAmountCents), y, SIZE);
    texts.forEach((text, i) => {
      if (i > 0) room(LEADING, tableHeader);
      page.drawText(text, { x: col.description, y, size: SIZE, font: regular, color: ink });
      y -= LEADING;
    });
    y -= 5;
  }
  room(40);
  page.drawLine({ start: { x: col.unitPrice - 120, y: y + 8 }, end: { x: width - 48, y: y + 8 }, thickness: 0.5, color: grey });
  y -= 6;
  rightAt(col.unitPrice, 'Total', y, 11, bold, rgb(0.2, 0.2, 0.2));
  rightAt(col.amount, money(invoice.amountCents), y, 11, bold);
  y -= 30;

  room(70);
  page.drawLine({ start: { x: 48, y: y + 8 }, end: { x: width - 48, y: y + 8 }, thickness: 1, color: brand });
  y -= 14;
  const amount = money(invoice.amountCents);
  page.drawText(amountLabel(invoice.status), { x: 48, y, size: 16, font: bold, color: rgb(0.2, 0.2, 0.2) });
  right(amount, y, 16, bold, invoice.status === 'void' ? grey : ink);
  if (invoice.status === 'void') {
    // Struck through: it is not owed.
    const w = bold.widthOfTextAtSize(amount, 16);
    page.drawLine({ start: { x: width - 48 - w, y: y + 5 }, end: { x: width - 48, y: y + 5 }, thickness: 1.5, color: red });
  }
  y -= 26;
  if (invoice.status === 'paid') {
    page.drawText('Paid in full. Thank you.', { x: 48, y, size: 11, font: regular, color: grey });
    y -= 18;
  } else if (invoice.status === 'void') {
    page.drawText('This invoice is VOID: it has been cancelled and nothing is due.', { x: 48, y, size: 11, font: bold, color: red });
    y -= 18;
  }
  if (invoice.notes) {
    y -= 10;
    room(40);
    page.drawText('Notes', { x: 48, y, size: 12, font: bold });
    y -= 18;
    for (const text of wrapText(printable(invoice.notes), regular, 11, width - 96).slice(0, 40)) {
      room(15);
      page.drawText(text, { x: 48, y, size: 11, font: regular });
      y -= 15;
    }
  }
  const today = new Date().toISOString().slice(0, 10);
  const pages = pdf.getPages();
  pages.forEach((each, i) => {
    if (invoice.status === 'void') {
      // The mark across every page, drawn last so nothing covers it.
      const size = 140;
      const w = bold.widthOfTextAtSize('VOID', size);
      each.drawText('VOID', {
        x: width / 2 - (w / 2) * Math.cos(Math.PI / 4) + (size / 3) * Math.sin(Math.PI / 4),
        y: height / 2 - (w / 2) * Math.sin(Math.PI / 4) - 40,
        size,
        font: bold,
        color: red,
        opacity: 0.25,
        rotate: degrees(45),
      });
    }
    const pageNote = pages.length > 1 ? ` - page ${i + 1} of ${pages.length}` : '';
    each.drawText(printable(`${tenant.name} - invoice ${invoice.number} - generated ${formatDate(today, loc, 'long')}${pageNote}`), {
      x: 48,
      y: 40,
      size: 9,
      font: regular,
      color: grey,
    });
  });
  return pdf.save();
}
