/**
 * The keyset cursor of the audit trails: a tenant's (auditTrail, ./audit) and the platform's
 * (crossTenantTrail of @studio/platform, through ./audit). It names the last row of a page by its
 * (created_at in microseconds since the epoch, id): a JS Date keeps only milliseconds, and two
 * events may share one. Opaque, not secret nor signed: base64url of `<micros>|<uuid>`, the
 * spelling these lists have always written, so links already out keep working.
 *
 * A cursor arrives in a URL, so anyone can edit it. Decoding answers null for anything this module
 * did not encode (too long, not base64url, another spelling of the same bytes, a key of another
 * shape), never a value the database would refuse (a 500). What a caller does with null is the
 * one rule of the apps: a page shows the first page (`eventCursorParam`); a query given a cursor
 * it cannot read throws InvalidCursorError, which a route handler of the tenancy glue
 * (`route()`, `api()`, tenancyErrorResponse) answers with a 400 CURSOR_INVALID.
 */
import { isUuid } from './ids';
import { TenantRequestError } from './request/context';

/** The last row of a page: created_at in microseconds since the epoch (digits), and its id. */
export interface EventKey {
  micros: string;
  id: string;
}

/** Longer than any cursor written here (18 digits, a bar and a UUID: 56 bytes, 75 in base64url). */
const MAX_LENGTH = 128;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const KEY = /^(\d{1,18})\|([0-9a-fA-F-]{36})$/;

export function encodeEventCursor(key: EventKey): string {
  return Buffer.from(`${key.micros}|${key.id}`).toString('base64url');
}

/** The key a cursor names, or null for anything that is not a cursor of these lists. */
export function decodeEventCursor(cursor: string | null | undefined): EventKey | null {
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > MAX_LENGTH || !BASE64URL.test(cursor)) return null;
  const match = KEY.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match || !isUuid(match[2])) return null;
  const key = { micros: match[1]!, id: match[2]! };
  // One spelling per key: stray trailing bits, which the decoder ignores, make another cursor.
  return encodeEventCursor(key) === cursor ? key : null;
}

/**
 * A page's cursor from its URL (`?cursor=`, `?after=`): the value if it is a cursor of these lists,
 * else null, so a page shows the first page for a link edited by hand (or a parameter repeated).
 */
export function eventCursorParam(value: string | readonly string[] | null | undefined): string | null {
  return typeof value === 'string' && decodeEventCursor(value) ? value : null;
}

/** A cursor that is not one a list gave: a 400 CURSOR_INVALID through the route glue. */
export class InvalidCursorError extends TenantRequestError {
  constructor(list = 'list') {
    super('CURSOR_INVALID', 400, `The cursor is not one this ${list} gave (edited, cut short or from another list): ask for the first page again, without a cursor, and follow nextCursor from there.`);
  }
}
