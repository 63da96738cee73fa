import 'server-only';
import { PDFDocument, rgb, StandardFonts } from 'pdf-lib';
import { money } from './schemas';

export interface InvoicePdfInput {
  tenant: { name: string; primaryColor: string };
  invoice: { number: string; status: string; amountCents: number; currency: string; issuedOn: string; dueOn: string | null; notes: string | null };
  customer: { name: string; email: string | null };
}

/** '#dc2626' -> pdf-lib colour; anything else is the platform blue. */
function colour(hex: string) {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex.trim());
  const [r, g, b] = m ? [m[1], m[2], m[3]].map((h) => parseInt(h!, 16) / 255) : [0x25 / 255, 0x63 / 255, 0xeb / 255];
  return rgb(r!, g!, b!);
}

/**
 * Standard fonts carry WinAnsi only: a character outside it (a name in another script) would make
 * pdf-lib throw, so it is replaced rather than failing the whole PDF.
 */
function printable(text: string): string {
  return text.replace(/[^\x20-\x7e\xa0-\xff]/g, '?');
}

/** The invoice as a one-page A4 PDF, headed with the tenant's own name in its own colour. */
export async function invoicePdf({ tenant, invoice, customer }: InvoicePdfInput): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(printable(`Invoice ${invoice.number} - ${tenant.name}`));
  pdf.setAuthor(printable(tenant.name));
  pdf.setProducer('studio invoices');
  const page = pdf.addPage([595.28, 841.89]);
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const brand = colour(tenant.primaryColor);
  const { width, height } = page.getSize();

  page.drawRectangle({ x: 0, y: height - 90, width, height: 90, color: brand });
  page.drawText(printable(tenant.name), { x: 48, y: height - 58, size: 26, font: bold, color: rgb(1, 1, 1) });

  let y = height - 140;
  const line = (label: string, value: string, size = 12) => {
    page.drawText(label, { x: 48, y, size, font: bold, color: rgb(0.2, 0.2, 0.2) });
    page.drawText(printable(value), { x: 180, y, size, font: regular, color: rgb(0.1, 0.1, 0.1) });
    y -= size + 10;
  };
  page.drawText(printable(`Invoice ${invoice.number}`), { x: 48, y, size: 20, font: bold, color: brand });
  y -= 36;
  line('Bill to', customer.name);
  if (customer.email) line('', customer.email);
  line('Issued', invoice.issuedOn);
  line('Due', invoice.dueOn ?? '-');
  line('Status', invoice.status);
  y -= 10;
  page.drawLine({ start: { x: 48, y: y + 8 }, end: { x: width - 48, y: y + 8 }, thickness: 1, color: brand });
  y -= 14;
  line('Amount due', `${money(invoice.amountCents)} ${invoice.currency}`, 16);
  if (invoice.notes) {
    y -= 10;
    page.drawText('Notes', { x: 48, y, size: 12, font: bold });
    y -= 18;
    for (const text of printable(invoice.notes).match(/.{1,90}(\s|$)/g)?.slice(0, 20) ?? []) {
      page.drawText(text.trim(), { x: 48, y, size: 11, font: regular });
      y -= 15;
    }
  }
  page.drawText(printable(`${tenant.name} - generated ${new Date().toISOString().slice(0, 10)}`), { x: 48, y: 40, size: 9, font: regular, color: rgb(0.4, 0.4, 0.4) });
  return pdf.save();
}
