/**
 * Issue 19: `/sign-in?next=/%5Cevil.example` landed on another site (invoices and the console):
 * `/\evil.example` passed "starts with / and not //", and browsers read it as `//evil.example`.
 * One helper now decides for every app.
 */
import { describe, expect, it } from 'vitest';
import { safeNextPath } from '../../src/next';

/** What the browser would do with the answer: the URL it navigates to from the app's page. */
const lands = (path: string) => new URL(path, 'https://acme.example.com/sign-in').origin;

describe('safeNextPath', () => {
  const hostile = [
    '/\\evil.example', // ?next=/%5Cevil.example, decoded once by Next
    '//evil.example',
    '\\\\evil.example',
    '/\\/evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '/./\\evil.example',
    '/.//evil.example',
    '/a/../..//evil.example',
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    ' javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'https://evil.example/',
    'evil.example',
    '',
  ];
  it.each(hostile)('keeps %j on the app itself', (next) => {
    const target = safeNextPath(next);
    expect(target).toBe('/');
    expect(lands(target)).toBe('https://acme.example.com');
  });

  it('keeps an encoded variant a path of this site', () => {
    for (const next of ['/%5Cevil.example', '/%2F%2Fevil.example', '/%252F%252Fevil.example']) {
      const target = safeNextPath(next);
      expect(lands(target)).toBe('https://acme.example.com');
      expect(target.startsWith('//')).toBe(false);
    }
  });

  it('passes the paths of this site, normalised', () => {
    expect(safeNextPath('/invoices?status=paid#top')).toBe('/invoices?status=paid#top');
    expect(safeNextPath('/customers/../invoices')).toBe('/invoices');
    expect(safeNextPath(undefined, { fallback: '/home' })).toBe('/home');
    expect(safeNextPath(['/a', '/b'])).toBe('/');
  });

  it("keeps a tenant's path inside the tenant", () => {
    const within = { within: '/t/acme' };
    expect(safeNextPath('/t/acme/lessons/1', within)).toBe('/t/acme/lessons/1');
    expect(safeNextPath('/t/acme', within)).toBe('/t/acme');
    expect(safeNextPath('/t/acme-corp/lessons', within)).toBe('/t/acme');
    expect(safeNextPath('/t/acme/../globex', within)).toBe('/t/acme');
    expect(safeNextPath('/t/globex', within)).toBe('/t/acme');
    expect(safeNextPath('/\\evil.example', within)).toBe('/t/acme');
  });
});
