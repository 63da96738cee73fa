/**
 * List pages, shared by every app (`@studio/ui/lists`): keyset pagination with an opaque cursor,
 * page sizes, search parameters and search patterns. Server-safe (no React, no 'use client').
 *
 * A cursor arrives in a URL, so anyone can edit it: `decodeCursor` answers null (the first page)
 * for anything this module did not encode with the expected shape, never a value the database
 * would refuse with an error (a 500). Cursors are opaque, not secret nor signed: a forged one that
 * passes the checks is only another starting point, within what the query may read anyway.
 */

/** The longest cursor read (room for a 200-character key part in any script); a longer one was not written here. */
export const MAX_CURSOR_LENGTH = 4096;

/** The apps' page size for lists people read. */
export const PAGE_SIZE = 25;

/** The most rows a page may ask for, whatever the caller or the URL says. */
export const MAX_PAGE_SIZE = 500;

/** A check of one part of a cursor's key (e.g. isUuid); false makes the cursor invalid. */
export type KeyCheck = (part: string) => boolean;

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** An opaque cursor for a sort key (the last row of a page): base64url of its parts as JSON. */
export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * A cursor's key back, or null for anything that is not one (missing, too long, not base64url,
 * not UTF-8 JSON, not an array of `shape` strings without NUL, a part its check refuses): the
 * first page. `shape` is the number of parts, or one check per part.
 */
export function decodeCursor(cursor: string | null | undefined, shape: number | readonly KeyCheck[]): string[] | null {
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) return null;
  const checks = typeof shape === 'number' ? null : shape;
  const size = checks ? checks.length : (shape as number);
  let key: unknown;
  try {
    key = JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(Buffer.from(cursor, 'base64url')));
  } catch {
    return null;
  }
  // No NUL: no Postgres text holds one, and as a query parameter it is an error (a 500).
  if (!Array.isArray(key) || key.length !== size || !key.every((part) => typeof part === 'string' && !part.includes('\0'))) return null;
  const parts = key as string[];
  // One spelling per key: what encodeCursor writes, not another (stray trailing bits, which the
  // decoder ignores; spaces or escapes in the JSON).
  if (encodeCursor(parts) !== cursor) return null;
  if (checks && !checks.every((check, i) => check(parts[i]!))) return null;
  return parts;
}

/** One page of a keyset query and the cursor of the next one. */
export interface KeysetPage<Row> {
  items: Row[];
  /** The cursor of the page after this one; null on the last page. */
  nextCursor: string | null;
}

/**
 * A page from a query that asked for `limit + 1` rows: the first `limit`, and a cursor from the
 * last of them when the extra row shows there is more.
 */
export function keysetPage<Row>(rows: readonly Row[], limit: number, keyOf: (row: Row) => readonly string[]): KeysetPage<Row> {
  // A bug of the caller (a limit from the URL unchecked: see pageLimit), not of the user: said loudly.
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) throw new RangeError(`keysetPage: limit must be a whole number from 1 to ${MAX_PAGE_SIZE}, not ${String(limit)}.`);
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}

/**
 * A page size from the URL (or a caller): a whole number of at least 1, at most `max` (a larger
 * one is `max`; `max` is itself at most MAX_PAGE_SIZE); anything else is `fallback`.
 */
export function pageLimit(requested: unknown, fallback: number, max: number = MAX_PAGE_SIZE): number {
  const cap = Math.max(1, Math.min(max, MAX_PAGE_SIZE));
  const n = typeof requested === 'number' ? requested : typeof requested === 'string' && /^\d+$/.test(requested.trim()) ? Math.min(Number(requested.trim()), Number.MAX_SAFE_INTEGER) : NaN;
  const value = Number.isInteger(n) && n >= 1 ? n : fallback;
  return Math.max(1, Math.min(value, cap));
}

/** One search parameter as a trimmed string of at most `max` characters ('' when missing or repeated). */
export function searchParam(value: string | string[] | undefined, max = 200): string {
  return (typeof value === 'string' ? value : '').trim().slice(0, max);
}

/** `%text%` for ILIKE, with LIKE's own wildcards in the text matched literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, '\\$&')}%`;
}
