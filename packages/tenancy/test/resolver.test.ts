import { getFreePort } from '@studio/pg-server';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDatabase } from '../src/index';
import { formatApiToken, header, pathPrefix, bearerToken, resolveTenant, session, subdomain } from '../src/resolver/index';
import { createTenancy } from '../src/next';
import type { IdentityProvider } from '../src/request/context';
import type { TenantStrategy } from '../src/resolver/strategies';
import { seededDatabase, type SeededDatabase } from './helpers';

let seeded: SeededDatabase;
let db: ReturnType<typeof createDatabase>;

beforeAll(async () => {
  seeded = await seededDatabase();
  db = createDatabase({ url: seeded.testDb.urls.app });
}, 60_000);

afterAll(async () => {
  await db?.close();
  await seeded?.close();
});

const SECRET = 'a'.repeat(43);
const invoicesApp: TenantStrategy[] = [subdomain({ baseDomain: 'localhost' }), bearerToken()];

function input(url: string, headers: Record<string, string> = {}) {
  const u = new URL(url);
  return { host: u.host, pathname: u.pathname, headers: new Headers(headers) };
}

describe('resolveTenant', () => {
  it('resolves a subdomain, a path prefix and a header to the tenant', async () => {
    const a = await resolveTenant(input('http://acme.localhost:3001/invoices'), invoicesApp, { tenants: db.tenants });
    expect(a).toMatchObject({ ok: true, source: 'subdomain', tenant: { slug: 'acme', id: seeded.ids.acme } });
    const p = await resolveTenant(input('http://localhost:3002/t/globex/plans'), [pathPrefix()], { tenants: db.tenants });
    expect(p).toMatchObject({ ok: true, source: 'path', tenant: { slug: 'globex' } });
    const h = await resolveTenant(input('http://api.test/v1', { 'x-tenant-slug': 'initech' }), [header()], { tenants: db.tenants });
    expect(h).toMatchObject({ ok: true, source: 'header', tenant: { slug: 'initech' } });
  });

  it('names no tenant on the bare base domain', async () => {
    const r = await resolveTenant(input('http://localhost:3001/'), invoicesApp, { tenants: db.tenants });
    expect(r).toEqual({ ok: true, tenant: null, source: null });
  });

  it('refuses bad names with a 400 before any database query', async () => {
    const tenants = { bySlug: vi.fn(), byId: vi.fn() };
    // Raw Host headers, as a client may send them.
    for (const host of ['acme_.localhost:3001', 'www.localhost:3001', 'xn--80ak6aa92e.localhost', 'a.b.localhost', 'acme.localhost:99999', 'acme.localhost.', 'аcme.localhost']) {
      const r = await resolveTenant({ host, pathname: '/', headers: new Headers() }, invoicesApp, { tenants });
      expect(r, host).toMatchObject({ ok: false, status: 400, code: 'TENANT_SLUG_INVALID' });
    }
    for (const path of ['/t/..', '/t/%2e%2e/admin', '/t/Acme', '/t/admin', '/t/', '/t/acme%2f..']) {
      // Raw paths: a URL parser would already have collapsed the dot segments.
      const r = await resolveTenant({ host: 'localhost:3002', pathname: path, headers: new Headers() }, [pathPrefix()], { tenants });
      expect(r, path).toMatchObject({ ok: false, status: 400 });
    }
    const badToken = await resolveTenant(input('http://acme.localhost:3001/api', { authorization: 'Bearer nonsense' }), invoicesApp, { tenants });
    expect(badToken).toMatchObject({ ok: false, status: 401, code: 'API_TOKEN_INVALID' });
    expect(tenants.bySlug).not.toHaveBeenCalled();
    expect(tenants.byId).not.toHaveBeenCalled();
  });

  it('answers 404 for an unknown tenant and 403 with the reason for a suspended one', async () => {
    const unknown = await resolveTenant(input('http://nosuch.localhost:3001/'), invoicesApp, { tenants: db.tenants });
    expect(unknown).toMatchObject({ ok: false, status: 404, code: 'TENANT_NOT_FOUND' });
    await seeded.owner`update tenants set status = 'suspended', status_reason = 'payment overdue' where id = ${seeded.ids.initech}`;
    try {
      await vi.waitFor(async () => {
        const r = await resolveTenant(input('http://initech.localhost:3001/'), invoicesApp, { tenants: db.tenants });
        expect(r).toMatchObject({ ok: false, status: 403, code: 'TENANT_SUSPENDED' });
        expect(!r.ok && r.message).toContain('payment overdue');
      });
    } finally {
      await seeded.owner`update tenants set status = 'active', status_reason = null where id = ${seeded.ids.initech}`;
    }
  });

  it('refuses two sources that disagree: subdomain acme, token globex', async () => {
    const token = formatApiToken(seeded.ids.globex, SECRET);
    const r = await resolveTenant(input('http://acme.localhost:3001/api/invoices', { authorization: `Bearer ${token}` }), invoicesApp, {
      tenants: db.tenants,
    });
    expect(r).toMatchObject({ ok: false, status: 400, code: 'TENANT_SOURCES_DISAGREE' });
    const agree = formatApiToken(seeded.ids.acme, SECRET);
    const ok = await resolveTenant(input('http://acme.localhost:3001/api/invoices', { authorization: `Bearer ${agree}` }), invoicesApp, {
      tenants: db.tenants,
    });
    expect(ok).toMatchObject({ ok: true, tenant: { slug: 'acme' } });
    const both = await resolveTenant(input('http://acme.localhost:3001/', { 'x-tenant-slug': 'globex' }), [subdomain({ baseDomain: 'localhost' }), header()], {
      tenants: db.tenants,
    });
    expect(both).toMatchObject({ ok: false, code: 'TENANT_SOURCES_DISAGREE' });
  });

  it("uses the session's active tenant only when nothing else names one", async () => {
    const strategies = [pathPrefix(), session()];
    const activeTenantId = vi.fn(async () => seeded.ids.globex);
    const fromSession = await resolveTenant(input('http://localhost:3002/dashboard'), strategies, { tenants: db.tenants, activeTenantId });
    expect(fromSession).toMatchObject({ ok: true, source: 'session', tenant: { slug: 'globex' } });
    activeTenantId.mockClear();
    const fromPath = await resolveTenant(input('http://localhost:3002/t/acme/x'), strategies, { tenants: db.tenants, activeTenantId });
    expect(fromPath).toMatchObject({ ok: true, source: 'path', tenant: { slug: 'acme' } });
    expect(activeTenantId).not.toHaveBeenCalled();
  });
});

describe('the tenant directory', () => {
  it('serves repeated lookups from memory and drops a tenant as soon as Postgres signals a change', async () => {
    const other = createDatabase({ url: seeded.testDb.urls.app });
    try {
      const before = await other.tenants.bySlug('globex');
      expect(before?.name).toBe((await db.tenants.bySlug('globex'))?.name);
      // Another process (here: the owner) renames the tenant; no forgetTenant() call anywhere.
      await seeded.owner`update tenants set name = 'Globex Renamed' where id = ${seeded.ids.globex}`;
      await vi.waitFor(async () => expect((await other.tenants.bySlug('globex'))?.name).toBe('Globex Renamed'), { timeout: 5000 });
    } finally {
      await seeded.owner`update tenants set name = 'Globex' where id = ${seeded.ids.globex}`;
      await other.close();
    }
  });

  it('does not query again on a hit', async () => {
    const other = createDatabase({ url: seeded.testDb.urls.app, tenantCache: { listen: false } });
    try {
      await other.tenants.bySlug('acme');
      await seeded.owner`update tenants set name = 'Acme Changed' where id = ${seeded.ids.acme}`;
      // Without LISTEN, the cached copy stands until its TTL: proof the hit did not query.
      expect((await other.tenants.bySlug('acme'))?.name).not.toBe('Acme Changed');
      other.forgetTenant(seeded.ids.acme);
      expect((await other.tenants.bySlug('acme'))?.name).toBe('Acme Changed');
    } finally {
      await seeded.owner`update tenants set name = 'Acme' where id = ${seeded.ids.acme}`;
      await other.close();
    }
  });
});

describe('the proxy', () => {
  const identity: IdentityProvider = { session: async () => null, membership: async () => null, apiToken: async () => null };

  function request(url: string, headers: Record<string, string> = {}) {
    return new NextRequest(url, { headers: { host: new URL(url).host, ...headers } });
  }

  it('answers 503 + Retry-After, not a 500, when the database cannot be reached', async () => {
    // A real connection attempt to a port nothing listens on (ECONNREFUSED).
    const port = await getFreePort();
    const down = createDatabase({ url: `postgres://studio_app:x@127.0.0.1:${port}/studio`, tenantCache: { listen: false } });
    try {
      const tenancy = createTenancy({ db: down, identity, strategies: invoicesApp });
      const api = await tenancy.proxy(request('http://acme.localhost:3001/api/invoices'));
      expect(api.status).toBe(503);
      expect(api.headers.get('retry-after')).toBe('2');
      expect(await api.json()).toMatchObject({ error: { code: 'DATABASE_UNAVAILABLE' } });
    } finally {
      await down.close();
    }
  });

  it('strips client-sent x-tenant-* headers and forwards the resolved tenant: acme, never globex', async () => {
    const tenancy = createTenancy({ db, identity, strategies: invoicesApp });
    const response = await tenancy.proxy(
      request('http://acme.localhost:3001/invoices', { 'x-tenant-slug': 'globex', 'x-tenant-id': seeded.ids.globex, 'x-tenant-anything': '1' }),
    );
    expect(response.status).toBe(200);
    // NextResponse.next({ request: { headers } }) lists the headers the page will see.
    const passed = response.headers.get('x-middleware-override-headers')!.split(',');
    expect(passed).not.toContain('x-tenant-slug');
    expect(passed).not.toContain('x-tenant-anything');
    expect(response.headers.get('x-middleware-request-x-tenant-id')).toBe(seeded.ids.acme);
    expect(response.headers.get('x-middleware-request-x-tenant-source')).toBe('subdomain');
  });

  it('answers refusals as JSON for APIs and as a page for browsers', async () => {
    const tenancy = createTenancy({ db, identity, strategies: invoicesApp });
    const api = await tenancy.proxy(request('http://Acme_.localhost:3001/api/invoices'));
    expect(api.status).toBe(400);
    expect(await api.json()).toMatchObject({ error: { code: 'TENANT_SLUG_INVALID' } });
    const page = await tenancy.proxy(request('http://nosuch.localhost:3001/', { accept: 'text/html' }));
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('No tenant');
  });

  it('forwards no tenant on the bare domain, and still strips spoofed headers', async () => {
    const tenancy = createTenancy({ db, identity, strategies: invoicesApp });
    const response = await tenancy.proxy(request('http://localhost:3001/', { 'x-tenant-id': seeded.ids.globex }));
    const passed = response.headers.get('x-middleware-override-headers')!.split(',');
    expect(passed).not.toContain('x-tenant-id');
  });
});

describe('error brands', () => {
  it('recognises errors from another copy of the class (Next bundles packages once per layer)', async () => {
    const { TenancyError } = await import('../src/index');
    const { TenantRequestError } = await import('../src/request/index');
    const foreign = Object.assign(new Error('x'), { [Symbol.for('@studio/tenancy/TenancyError')]: true, [Symbol.for('@studio/tenancy/TenantRequestError')]: true });
    expect(TenancyError.is(foreign)).toBe(true);
    expect(TenantRequestError.is(foreign)).toBe(true);
    expect(TenantRequestError.is(new TenancyError('X', 'y'))).toBe(false);
    expect(TenancyError.is(new TenantRequestError('X', 404, 'y'))).toBe(true);
    expect(TenancyError.is(new Error('plain'))).toBe(false);
    expect(TenancyError.is(null)).toBe(false);
  });
});
