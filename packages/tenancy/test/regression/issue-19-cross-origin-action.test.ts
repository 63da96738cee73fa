/**
 * Issue 19: a server action posted from another origin was refused by Next with a 500. The proxy
 * now answers it with a 403, by the same comparison Next makes (Origin's host against
 * X-Forwarded-Host, else Host).
 */
import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { guardRequest } from '../../src/next';

function action(headers: Record<string, string>, init: { multipart?: boolean } = {}): NextRequest {
  return new NextRequest('http://acme.localhost:3001/customers/new', {
    method: 'POST',
    headers: {
      host: 'acme.localhost:3001',
      'x-forwarded-host': 'acme.localhost:3001',
      accept: 'text/x-component',
      ...(init.multipart ? { 'content-type': 'multipart/form-data; boundary=x' } : { 'next-action': '7f00aa', 'content-type': 'text/plain;charset=UTF-8' }),
      ...headers,
    },
    body: init.multipart ? '--x--' : '[]',
  });
}

describe('a server action from another origin', () => {
  it.each([
    ['another site', 'https://evil.example'],
    ['another tenant', 'http://globex.localhost:3001'],
    ['a sandboxed frame', 'null'],
    ['garbage', 'not a url'],
  ])('is a 403 when posted from %s', async (_what, origin) => {
    const response = guardRequest(action({ origin }))!;
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: 'CROSS_ORIGIN_ACTION' } });
  });

  it('is a 403 as a form posted without JavaScript too (multipart), with a page for the browser', async () => {
    const response = guardRequest(action({ origin: 'https://evil.example', accept: 'text/html' }, { multipart: true }))!;
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('posted from another site');
  });

  it('passes from its own origin, and without an Origin (not a browser)', () => {
    expect(guardRequest(action({ origin: 'http://acme.localhost:3001' }))).toBeNull();
    expect(guardRequest(action({}))).toBeNull();
  });

  it('passes other requests from elsewhere (a GET link, a JSON API call)', () => {
    expect(guardRequest(new NextRequest('http://acme.localhost:3001/', { headers: { origin: 'https://evil.example', host: 'acme.localhost:3001' } }))).toBeNull();
    const api = new NextRequest('http://acme.localhost:3001/api/v1/invoices', {
      method: 'POST',
      headers: { origin: 'https://evil.example', host: 'acme.localhost:3001', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(guardRequest(api)).toBeNull();
  });
});
