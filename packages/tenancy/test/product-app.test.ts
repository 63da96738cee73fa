import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bearerToken, formatApiToken, pathPrefix, subdomain } from '../src/resolver/index';
import { definePermissions } from '../src/request/index';
import type { IdentityProvider } from '../src/request/context';
import { seededDatabase, type SeededDatabase } from './helpers';

// What a page sees: the headers the proxy forwarded (set per test), and Next's navigation
// helpers, which throw to end the render.
const requestHeaders = vi.hoisted(() => ({ current: new Headers() }));
vi.mock('next/headers', () => ({ headers: async () => requestHeaders.current }));
vi.mock('next/navigation', () => ({
  redirect: (url: string) => {
    throw new Error(`redirect ${url}`);
  },
  forbidden: () => {
    throw new Error('forbidden');
  },
  notFound: () => {
    throw new Error('notFound');
  },
}));

const { defineProductApp } = await import('../src/next');

let seeded: SeededDatabase;
beforeAll(async () => {
  seeded = await seededDatabase();
}, 60_000);

const apps: { getDb(): { close(): Promise<void> } }[] = [];
afterAll(async () => {
  for (const app of apps) await app.getDb().close();
  await seeded?.close();
});

const permissions = definePermissions({ roles: { member: ['things:read'] as const, admin: ['things:read'] as const, owner: ['things:read'] as const } });
const handler = vi.fn(async () => new Response('auth'));
const identity: IdentityProvider = { session: async () => null, membership: async () => null, apiToken: async () => null };

function productApp(name: string, strategies: Parameters<typeof defineProductApp>[0]['strategies'], tenantBasePath?: (slug: string) => string) {
  const app = defineProductApp({
    name,
    mode: 'rls',
    env: { databaseUrl: seeded.testDb.urls.app },
    strategies,
    permissions,
    tenantBasePath,
    auth: () => ({ identity, auth: { handler } }),
  });
  apps.push(app);
  return app;
}

/** The headers the proxy's answer forwards to the page (NextResponse.next({ request: { headers } })). */
function forwarded(response: Response): Headers {
  const out = new Headers();
  for (const name of response.headers.get('x-middleware-override-headers')?.split(',') ?? []) {
    const value = response.headers.get(`x-middleware-request-${name}`);
    if (value !== null) out.set(name, value);
  }
  return out;
}

function request(url: string, headers: Record<string, string> = {}) {
  return new NextRequest(url, { headers: { host: new URL(url).host, ...headers } });
}

describe('defineProductApp', () => {
  it('subdomain + bearer token (invoices): the proxy resolves the tenant from the host, and from a token', async () => {
    const app = productApp('product-app-subdomain', () => [subdomain({ baseDomain: 'localhost' }), bearerToken()]);
    const page = await app.proxy(request('http://acme.localhost:3001/invoices', { 'x-tenant-id': seeded.ids.globex }));
    expect(forwarded(page).get('x-tenant-id')).toBe(seeded.ids.acme);
    expect(forwarded(page).get('x-tenant-source')).toBe('subdomain');
    const token = formatApiToken(seeded.ids.globex, 'b'.repeat(43));
    const api = await app.proxy(request('http://localhost:3001/api/v1/invoices', { authorization: `Bearer ${token}` }));
    expect(forwarded(api).get('x-tenant-id')).toBe(seeded.ids.globex);
    expect(forwarded(api).get('x-tenant-source')).toBe('token');
  });

  it('path (lessons): the proxy resolves the tenant from /t/<slug>', async () => {
    const app = productApp('product-app-path', [pathPrefix()], (slug) => `/t/${slug}`);
    const response = await app.proxy(request('http://localhost:3002/t/initech/lessons'));
    expect(forwarded(response).get('x-tenant-id')).toBe(seeded.ids.initech);
    expect((await app.proxy(request('http://localhost:3002/t/nosuch'))).status).toBe(404);
  });

  it('pageContext sends the signed-out to the sign-in page with the path to come back to', async () => {
    const hosted = productApp('product-app-hosted', () => [subdomain({ baseDomain: 'localhost' })]);
    requestHeaders.current = forwarded(await hosted.proxy(request('http://acme.localhost:3001/invoices/new')));
    await expect(hosted.pageContext('things:read', '/invoices/new?x=1')).rejects.toThrow('redirect /sign-in?next=%2Finvoices%2Fnew%3Fx%3D1');

    const pathed = productApp('product-app-pathed', [pathPrefix()], (slug) => `/t/${slug}`);
    requestHeaders.current = forwarded(await pathed.proxy(request('http://localhost:3002/t/acme/lessons/new')));
    await expect(pathed.pageContext('things:read', '/lessons/new')).rejects.toThrow('redirect /t/acme/sign-in?next=%2Ft%2Facme%2Flessons%2Fnew');
    await expect(pathed.pageContext('member')).rejects.toThrow('redirect /t/acme/sign-in?next=%2Ft%2Facme');
  });

  it('one database, auth and tenancy per process and name; the auth route is the auth handler', async () => {
    const first = productApp('product-app-once', [pathPrefix()]);
    const again = productApp('product-app-once', [pathPrefix()]);
    expect(again.getDb()).toBe(first.getDb());
    expect(again.getTenancy()).toBe(first.getTenancy());
    expect(await (await first.authHandler(new Request('http://localhost/api/auth/ok'))).text()).toBe('auth');
    expect(handler).toHaveBeenCalledOnce();
  });
});
