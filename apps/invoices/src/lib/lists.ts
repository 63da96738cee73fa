/** Search and keyset pagination for the list pages: `?q=` and `?after=<cursor>`. */

/** An opaque cursor for the last row of a page (its sort key). */
export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The key back, or null for anything that is not a cursor of `size` strings (a hand-edited URL: first page). */
export function decodeCursor(cursor: string | undefined, size: number): string[] | null {
  if (!cursor) return null;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return Array.isArray(key) && key.length === size && key.every((part) => typeof part === 'string') ? (key as string[]) : null;
  } catch {
    return null;
  }
}

/** `%text%` for ILIKE, with LIKE's own wildcards in the text matched literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, '\\$&')}%`;
}

/** One search parameter as a trimmed string ('' when missing or repeated oddly). */
export function param(value: string | string[] | undefined, max = 200): string {
  return (typeof value === 'string' ? value : '').trim().slice(0, max);
}

export const PAGE_SIZE = 25;
