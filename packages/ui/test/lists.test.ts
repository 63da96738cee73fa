// @studio/ui/lists, the one keyset pagination of the apps, read as an attacker would: a cursor
// arrives in a URL anyone can edit. The apps page their customers and invoices with it.
import {
  containsPattern,
  decodeCursor,
  encodeCursor,
  keysetPage,
  MAX_CURSOR_LENGTH,
  MAX_PAGE_SIZE,
  pageLimit,
  searchParam,
} from '@studio/ui/lists';
import { describe, expect, it } from 'vitest';

const ID = '0b0f7c52-8a35-4c44-9d5e-3f0c2a1b9e11';
const micros = (part: string) => /^\d{1,18}$/.test(part);
/** The apps' id check (@studio/tenancy's isUuid; this package does not depend on tenancy). */
const isUuid = (part: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(part);
/** What a hand-edited URL carries: any bytes, base64url-encoded. */
const forge = (text: string) => Buffer.from(text).toString('base64url');

describe('encodeCursor / decodeCursor', () => {
  it('round-trips a key, whatever its text (quotes, separators, any script, emoji)', () => {
    for (const key of [
      ['Acme', ID],
      ['1733100000123456', ID],
      ['a|b', '"quoted"\\', '[1,2]'],
      ['Ünïcødé 名前 🧾', ''],
      ['x'.repeat(200), ID],
    ]) {
      const cursor = encodeCursor(key);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(cursor, key.length)).toEqual(key);
    }
  });

  it('is the first page (null) for no cursor', () => {
    for (const none of [undefined, null, '']) expect(decodeCursor(none, 2)).toBeNull();
  });

  it('refuses what is not base64url, and other spellings of a valid cursor', () => {
    const cursor = encodeCursor(['Acme', ID]);
    expect(decodeCursor(`${cursor}=`, 2)).toBeNull(); // padding
    // Plain base64 (+, / and padding) of a valid key: Buffer would read it; it is not what encodeCursor writes.
    const plain = Buffer.from(JSON.stringify(['~~~', ID])).toString('base64');
    expect(plain).toMatch(/\+.*=$/);
    expect(decodeCursor(plain, 2)).toBeNull();
    expect(decodeCursor(encodeCursor(['~~~', ID]), 2)).toEqual(['~~~', ID]);
    expect(decodeCursor(` ${cursor}`, 2)).toBeNull();
    expect(decodeCursor(`${cursor}\n`, 2)).toBeNull();
    expect(decodeCursor(`${cursor.slice(0, 10)}.${cursor.slice(10)}`, 2)).toBeNull();
    expect(decodeCursor('%00', 2)).toBeNull();
    // The decoder ignores trailing bits: a second spelling of the same bytes is not this module's.
    const cursor5 = encodeCursor(['a']); // 5 bytes: 7 characters, the last one carrying 2 stray bits
    expect(cursor5).toHaveLength(7);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = cursor5.slice(0, -1) + alphabet[alphabet.indexOf(cursor5.at(-1)!) + 1]!;
    expect(Buffer.from(sibling, 'base64url').equals(Buffer.from(cursor5, 'base64url'))).toBe(true);
    expect(decodeCursor(sibling, 1)).toBeNull();
    expect(decodeCursor(cursor5, 1)).toEqual(['a']);
    // Nor another JSON spelling of a valid key: spaces, escapes, a byte-order mark.
    for (const text of [`[ "a", "${ID}" ]`, `["\\u0061","${ID}"]`, `\uFEFF["a","${ID}"]`, `["a","${ID}"]\n`]) {
      expect(decodeCursor(forge(text), 2), text).toBeNull();
    }
    expect(decodeCursor(forge(`["a","${ID}"]`), 2)).toEqual(['a', ID]);
  });

  it('refuses forged contents: not JSON, not an array, wrong size, not strings', () => {
    for (const text of ['not json', '{"0":"a","1":"b","length":2}', '"Acme"', 'null', '[]', '["a"]', '["a","b","c"]', '[1,2]', '["a",null]', '["a",["b"]]', '["a",{"toString":"b"}]', '[true,"b"]', `["a","${ID}"`]) {
      expect(decodeCursor(forge(text), 2), text).toBeNull();
    }
  });

  it('refuses a prototype-polluting payload without polluting anything', () => {
    expect(decodeCursor(forge('{"__proto__":{"polluted":true}}'), 2)).toBeNull();
    expect(decodeCursor(forge('["__proto__","constructor"]'), 2)).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses bytes that are not UTF-8 and key parts holding NUL (Postgres text cannot: a query error, a 500)', () => {
    const invalidUtf8 = Buffer.concat([Buffer.from('["'), Buffer.from([0xff, 0xfe]), Buffer.from(`","${ID}"]`)]).toString('base64url');
    expect(decodeCursor(invalidUtf8, 2)).toBeNull();
    expect(decodeCursor(forge(`["a\\u0000b","${ID}"]`), 2)).toBeNull();
    expect(decodeCursor(forge(`["a\u0000b","${ID}"]`), 2)).toBeNull();
  });

  it('refuses a cursor too long to be one, before decoding it', () => {
    const long = encodeCursor(['x'.repeat(MAX_CURSOR_LENGTH), ID]);
    expect(long.length).toBeGreaterThan(MAX_CURSOR_LENGTH);
    expect(decodeCursor(long, 2)).toBeNull();
    expect(decodeCursor('A'.repeat(10_000_000), 2)).toBeNull();
    // A deeply nested array (a JSON parser's stack) never reaches the parser at this length.
    expect(decodeCursor(forge('['.repeat(100_000)), 2)).toBeNull();
  });

  it('checks each part when given checks: what the query would cast (bigint, uuid) is valid or the first page', () => {
    const shape = [micros, isUuid];
    expect(decodeCursor(encodeCursor(['1733100000123456', ID]), shape)).toEqual(['1733100000123456', ID]);
    for (const key of [
      ['-1', ID],
      ['1e20', ID],
      ['9'.repeat(19), ID], // beyond bigint
      ['1733100000123456', 'not-a-uuid'],
      ['1733100000123456', '------------------------------------'], // 36 dashes
      ['1733100000123456', `${ID}' or '1'='1`],
      ["1); drop table invoices; --", ID],
    ]) {
      expect(decodeCursor(encodeCursor(key), shape), key.join(' ')).toBeNull();
    }
    // A check's count is the key's size.
    expect(decodeCursor(encodeCursor(['1733100000123456', ID, 'extra']), shape)).toBeNull();
  });

  it('never throws, whatever the input (random bytes and strings)', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 2000; i++) {
      const bytes = Buffer.from(Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256)));
      expect(() => decodeCursor(bytes.toString('base64url'), 2)).not.toThrow();
      expect(() => decodeCursor(bytes.toString('latin1'), [micros, isUuid])).not.toThrow();
    }
  });
});

describe('keysetPage', () => {
  const rows = Array.from({ length: 6 }, (_, i) => ({ name: `n${i}`, id: `${i}` }));
  const key = (row: { name: string; id: string }) => [row.name, row.id];

  it('takes limit + 1 rows: the first limit, and the cursor of the last one shown', () => {
    const page = keysetPage(rows, 5, key);
    expect(page.items.map((r) => r.id)).toEqual(['0', '1', '2', '3', '4']);
    expect(decodeCursor(page.nextCursor, 2)).toEqual(['n4', '4']);
  });

  it('has no next page when the query found limit rows or fewer', () => {
    expect(keysetPage(rows, 6, key)).toEqual({ items: rows, nextCursor: null });
    expect(keysetPage(rows, 10, key).nextCursor).toBeNull();
    expect(keysetPage([], 5, key)).toEqual({ items: [], nextCursor: null });
  });

  it('shows at most limit rows even when given more than limit + 1', () => {
    const page = keysetPage(rows, 2, key);
    expect(page.items).toHaveLength(2);
    expect(decodeCursor(page.nextCursor, 2)).toEqual(['n1', '1']);
  });

  it('refuses a limit that is not a page size (a caller passing the URL through unchecked)', () => {
    for (const limit of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, MAX_PAGE_SIZE + 1, Number.MAX_SAFE_INTEGER, 1e300]) {
      expect(() => keysetPage(rows, limit, key), String(limit)).toThrow(RangeError);
    }
    expect(keysetPage(rows, MAX_PAGE_SIZE, key).items).toHaveLength(6);
  });
});

describe('pageLimit', () => {
  it('reads a page size from a URL or a caller, capped, else the fallback', () => {
    expect(pageLimit(undefined, 25)).toBe(25);
    expect(pageLimit('10', 25)).toBe(10);
    expect(pageLimit(' 10 ', 25)).toBe(10);
    expect(pageLimit(10, 25)).toBe(10);
    expect(pageLimit('100', 25, 50)).toBe(50);
    for (const huge of ['1000000000', '9'.repeat(400), 1e300, Number.MAX_SAFE_INTEGER]) expect(pageLimit(huge, 25)).toBe(MAX_PAGE_SIZE);
    // A max above the module's cap is the cap.
    expect(pageLimit('100000', 25, 1_000_000)).toBe(MAX_PAGE_SIZE);
    for (const bad of ['0', '-5', '1.5', '1e3', '0x10', 'ten', '', [], ['10', '20'], {}, null, Number.NaN, Number.POSITIVE_INFINITY, -3, 2.5, true]) {
      expect(pageLimit(bad, 25), JSON.stringify(bad)).toBe(25);
    }
    // Always a size keysetPage accepts.
    for (const any of ['1000000000', 'x', 7, 0]) expect(() => keysetPage([], pageLimit(any, 25), () => [])).not.toThrow();
  });
});

describe('searchParam and containsPattern', () => {
  it('a search parameter is one trimmed, bounded string; repeated or missing is empty', () => {
    expect(searchParam('  acme ')).toBe('acme');
    expect(searchParam(undefined)).toBe('');
    expect(searchParam(['a', 'b'])).toBe('');
    expect(searchParam('x'.repeat(500))).toHaveLength(200);
    expect(searchParam('x'.repeat(5000), MAX_CURSOR_LENGTH)).toHaveLength(MAX_CURSOR_LENGTH);
  });

  it("matches LIKE's wildcards and escape literally", () => {
    expect(containsPattern('acme')).toBe('%acme%');
    expect(containsPattern('100%_off\\')).toBe('%100\\%\\_off\\\\%');
  });
});
