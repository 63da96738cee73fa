import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RESERVED_SLUGS, parseSlug, slugFromHost, slugFromPath } from '../src/resolver/parse';

const VALID = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const isValid = (s: string) => VALID.test(s) && s.slice(2, 4) !== '--' && !DEFAULT_RESERVED_SLUGS.includes(s);
const validSlug = fc.stringMatching(VALID).filter(isValid);
const host = { baseDomain: 'localhost' };
/** Characters that look like or hide inside a slug. */
const lookAlikes = ['а', 'е', 'о', 'ο', 'ａ', '\u200d', '\u00ad', 'A', 'Z', '_', '.', ' ', '%', '/', 'ı', 'ß'];

describe('parseSlug', () => {
  it.each([
    ['acme', null],
    ['abc', null],
    ['a'.repeat(63), null],
    ['a1-b2', null],
    ['', 'empty'],
    ['ab', 'too_short'],
    ['a'.repeat(64), 'too_long'],
    ['Acme', 'uppercase'],
    ['ACME', 'uppercase'],
    ['аcme', 'invalid_characters'], // Cyrillic а
    ['acmе', 'invalid_characters'], // Cyrillic е
    ['ａcme', 'invalid_characters'], // fullwidth
    ['ac\u200dme', 'invalid_characters'], // zero-width joiner
    ['acme_co', 'invalid_characters'],
    ['acme.co', 'invalid_characters'],
    ['ac me', 'invalid_characters'],
    ['-acme', 'hyphen_edge'],
    ['acme-', 'hyphen_edge'],
    ['xn--80ak6aa92e', 'punycode'],
    ['ab--c', 'punycode'],
    ['www', 'reserved'],
    ['app', 'reserved'],
    ['api', 'reserved'],
    ['admin', 'reserved'],
  ])('%j -> %s', (input, problem) => {
    const result = parseSlug(input);
    if (problem === null) expect(result).toEqual({ ok: true, slug: input });
    else expect(result).toMatchObject({ ok: false, problem });
  });

  it('takes a custom reserved list, and quotes the input in its message', () => {
    expect(parseSlug('billing', ['billing'])).toMatchObject({ ok: false, problem: 'reserved' });
    expect(parseSlug('www', ['billing'])).toMatchObject({ ok: true });
    const result = parseSlug('Acme');
    expect(!result.ok && result.message).toContain('"Acme"');
    const long = parseSlug('x'.repeat(5000));
    expect(!long.ok && long.message.length).toBeLessThan(200);
  });

  it('property: never throws, and accepts exactly the valid slugs', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.string(), validSlug), (input) => {
        const result = parseSlug(input);
        expect(result.ok).toBe(isValid(input));
        if (result.ok) expect(result.slug).toBe(input);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: one look-alike character anywhere in a valid slug is refused', () => {
    fc.assert(
      fc.property(validSlug, fc.constantFrom(...lookAlikes), fc.nat(), (slug, char, at) => {
        const i = at % (slug.length + 1);
        expect(parseSlug(slug.slice(0, i) + char + slug.slice(i)).ok).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('slugFromHost', () => {
  it.each([
    ['acme.localhost', 'acme'],
    ['acme.localhost:3001', 'acme'],
    ['ACME.LOCALHOST:3001', 'acme'], // host names are case-insensitive
    ['localhost:3001', null],
    ['localhost', null],
    ['127.0.0.1:3001', null],
    ['[::1]:3001', null],
    ['acme.example.com', null], // not under the base domain
  ])('%j -> %j', (input, slug) => {
    expect(slugFromHost(input, host)).toEqual({ ok: true, slug });
  });

  it.each([
    ['', 'bad_host'],
    ['acme.localhost.', 'trailing_dot'],
    ['acme.localhost.:3001', 'trailing_dot'],
    ['acme.localhost:', 'bad_port'],
    ['acme.localhost:abc', 'bad_port'],
    ['acme.localhost:99999', 'bad_port'],
    ['acme.localhost:0', 'bad_port'],
    ['acme.localhost:80:80', 'bad_port'],
    ['a.b.localhost', 'nested_subdomain'],
    ['acme..localhost', 'bad_host'],
    ['.localhost', 'bad_host'],
    ['www.localhost:3001', 'reserved'],
    ['admin.localhost', 'reserved'],
    ['xn--80ak6aa92e.localhost', 'punycode'],
    ['аcme.localhost', 'invalid_characters'],
    ['acme_.localhost', 'invalid_characters'],
    ['ac/me.localhost', 'invalid_characters'],
    ['ab.localhost', 'too_short'],
    [`${'a'.repeat(64)}.localhost`, 'too_long'],
  ])('%j is refused: %s', (input, problem) => {
    expect(slugFromHost(input, host)).toMatchObject({ ok: false, problem });
  });

  it('works under a two-label base domain', () => {
    expect(slugFromHost('acme.studio.test', { baseDomain: 'studio.test' })).toEqual({ ok: true, slug: 'acme' });
    expect(slugFromHost('acme.other.test', { baseDomain: 'studio.test' })).toEqual({ ok: true, slug: null });
    expect(slugFromHost('a.acme.studio.test', { baseDomain: 'studio.test' })).toMatchObject({ ok: false, problem: 'nested_subdomain' });
  });

  it('property: any valid slug round-trips through a host, with any port and any letter case', () => {
    fc.assert(
      fc.property(validSlug, fc.option(fc.integer({ min: 1, max: 65535 })), fc.boolean(), (slug, port, upper) => {
        let value = `${slug}.localhost${port === null ? '' : `:${port}`}`;
        if (upper) value = value.toUpperCase();
        expect(slugFromHost(value, host)).toEqual({ ok: true, slug });
      }),
      { numRuns: 1000 },
    );
  });

  it('property: never throws, and whatever it returns is a valid slug or nothing', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme' }), fc.string(), fc.string().map((s) => `${s}.localhost`)), (value) => {
        const result = slugFromHost(value, host);
        if (result.ok && result.slug !== null) expect(isValid(result.slug)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('slugFromPath', () => {
  it.each([
    ['/t/acme', 'acme', '/'],
    ['/t/acme/', 'acme', '/'],
    ['/t/acme/plans/1', 'acme', '/plans/1'],
  ])('%j -> %s, rest %s', (path, slug, rest) => {
    expect(slugFromPath(path)).toEqual({ ok: true, slug, rest });
  });

  it.each(['/', '/dashboard', '/T/acme', '/tenant/acme', '/tacme'])('%j names no tenant', (path) => {
    expect(slugFromPath(path)).toMatchObject({ ok: true, slug: null });
  });

  it.each([
    ['/t', 'empty'],
    ['/t/', 'empty'],
    ['/t//acme', 'empty'],
    ['/t/..', 'path_traversal'],
    ['/t/../admin', 'path_traversal'],
    ['/t/./acme', 'path_traversal'],
    ['/t/%2e%2e/x', 'path_traversal'],
    ['/t/%2E%2E', 'path_traversal'],
    ['/t/acme%2f..', 'path_traversal'],
    ['/t/acme%5c..', 'path_traversal'],
    ['/t/ac\\me', 'path_traversal'],
    ['/t/%61cme', 'invalid_characters'],
    ['/t/%zz', 'invalid_characters'],
    ['/t/Acme', 'uppercase'],
    ['/t/admin/x', 'reserved'],
    ['/t/xn--80ak6aa92e', 'punycode'],
  ])('%j is refused: %s', (path, problem) => {
    expect(slugFromPath(path)).toMatchObject({ ok: false, problem });
  });

  it('takes another prefix', () => {
    expect(slugFromPath('/org/acme/x', { prefix: '/org' })).toEqual({ ok: true, slug: 'acme', rest: '/x' });
    expect(slugFromPath('/t/acme/x', { prefix: '/org' })).toMatchObject({ ok: true, slug: null });
  });

  it('property: a valid slug and any safe rest round-trip; arbitrary paths never throw', () => {
    const segment = fc.stringMatching(/^[a-zA-Z0-9._~-]{1,12}$/);
    fc.assert(
      fc.property(validSlug, fc.array(segment, { maxLength: 4 }), (slug, parts) => {
        const rest = `/${parts.join('/')}`;
        expect(slugFromPath(`/t/${slug}${rest === '/' ? '' : rest}`)).toEqual({ ok: true, slug, rest });
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }).map((s) => `/t/${s}`), (path) => {
        const result = slugFromPath(path);
        if (result.ok && result.slug !== null) expect(isValid(result.slug)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
