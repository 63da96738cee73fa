/** The text of a PDF, page by page, read with Mozilla's pdf.js (what the test sees is what a reader shows). */
import { createRequire } from 'node:module';
import path from 'node:path';
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';

// The metrics of the 14 standard fonts (a PDF may use them without embedding them).
const standardFontDataUrl = `${path.join(path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts')}/`;

function open(bytes: Uint8Array) {
  return getDocument({ data: new Uint8Array(bytes), disableFontFace: true, useSystemFonts: false, isEvalSupported: false, standardFontDataUrl }).promise;
}

export async function pdfText(bytes: Uint8Array): Promise<string> {
  const document = await open(bytes);
  try {
    const pages: string[] = [];
    for (let n = 1; n <= document.numPages; n++) {
      const content = await (await document.getPage(n)).getTextContent();
      pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
    }
    return pages.join('\n');
  } finally {
    await document.destroy();
  }
}

/** Every RGB fill colour the pages paint with, as '#rrggbb'. */
export async function pdfFillColours(bytes: Uint8Array): Promise<string[]> {
  const document = await open(bytes);
  try {
    const colours = new Set<string>();
    for (let n = 1; n <= document.numPages; n++) {
      const ops = await (await document.getPage(n)).getOperatorList();
      ops.fnArray.forEach((fn, i) => {
        if (fn !== OPS.setFillRGBColor) return;
        // pdf.js gives the colour as 0-255 components (or, in some versions, as a '#rrggbb' string).
        const args = Array.from((ops.argsArray[i] ?? []) as ArrayLike<number | string>);
        const hex = typeof args[0] === 'string' ? args[0] : `#${args.slice(0, 3).map((c) => Number(c).toString(16).padStart(2, '0')).join('')}`;
        colours.add(hex.toLowerCase());
      });
    }
    return [...colours];
  } finally {
    await document.destroy();
  }
}
