import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { subdomain } from '../src/resolver/index';
import { definePermissions } from '../src/request/index';
import type { IdentityProvider, RequestSession } from '../src/request/context';
import { seededDatabase, type SeededDatabase } from './helpers';

// The dead ends of issue 23: a suspended tenant's pages and a non-member's, as the proxy and the
// refusal pages see them.
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
let app: ReturnType<typeof makeApp>;
beforeAll(async () => {
  seeded = await seededDatabase();
  app = makeApp();
}, 60_000);
afterAll(async () => {
  await app?.getDb().close();
  await seeded?.close();
});

const permissions = definePermissions({ roles: { member: ['things:read'] as const, admin: ['things:read'] as const, owner: ['things:read'] as const } });
const member: RequestSession = { sessionId: 's1', userId: 'u-member', email: 'm@example.com', name: 'M', isPlatformAdmin: false, activeTenantId: null };
const stranger: RequestSession = { ...member, sessionId: 's2', userId: 'u-stranger', email: 's@example.com' };
// The cookie names who is signed in.
const identity: IdentityProvider = {
  session: async (h) => ({ member, stranger })[h.get('cookie') ?? ''] ?? null,
  membership: async (userId, tenantId) => (userId === member.userId ? { userId, tenantId, role: 'member' } : null),
  apiToken: async () => null,
};

function makeApp() {
  return defineProductApp({
    name: 'standing-test',
    mode: 'rls',
    env: { databaseUrl: seeded.testDb.urls.app },
    strategies: () => [subdomain({ baseDomain: 'localhost' })],
    permissions,
    auth: () => ({ identity, auth: { handler: async () => new Response('auth') } }),
  });
}

function forwarded(response: Response): Headers {
  const out = new Headers();
  for (const name of response.headers.get('x-middleware-override-headers')?.split(',') ?? []) {
    const value = response.headers.get(`x-middleware-request-${name}`);
    if (value !== null) out.set(name, value);
  }
  return out;
}

const page = (url: string, cookie?: string) =>
  new NextRequest(url, { headers: { host: new URL(url).host, accept: 'text/html', ...(cookie ? { cookie } : {}) } });

describe('standing: who may learn what on a refused page', () => {
  it('a non-member gets a 404 from pageContext, and standing names the tenant and the user, not a membership', async () => {
    requestHeaders.current = forwarded(await app.proxy(page('http://acme.localhost:3001/', 'stranger')));
    await expect(app.pageContext('member')).rejects.toThrow('notFound');
    const standing = await app.getTenancy().getStanding();
    expect(standing).toMatchObject({ tenant: { slug: 'acme', name: expect.any(String) }, session: { email: 's@example.com' }, membership: null, suspended: false, reason: null });
    requestHeaders.current = new Headers();
    expect(await app.getTenancy().getStanding()).toBeNull();
  });

  it('a suspended tenant: pages reach the app (403 there), the reason only for members; other requests are refused without it', async () => {
    await seeded.owner`update tenants set status = 'suspended', status_reason = 'payment overdue' where id = ${seeded.ids.initech}`;
    try {
      await vi.waitFor(async () => {
        const api = await app.proxy(new NextRequest('http://initech.localhost:3001/api/v1/things', { headers: { host: 'initech.localhost:3001' } }));
        expect(api.status).toBe(403);
        const body = (await api.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe('TENANT_SUSPENDED');
        expect(body.error.message).not.toContain('payment overdue');
      });
      const post = await app.proxy(new NextRequest('http://initech.localhost:3001/', { method: 'POST', headers: { host: 'initech.localhost:3001', accept: 'text/html' } }));
      expect(post.status).toBe(403);
      expect(await post.text()).not.toContain('payment overdue');
      // The one POST that goes through: signing out of it (the caller's own session, nothing of the tenant's).
      const signOut = await app.proxy(new NextRequest('http://initech.localhost:3001/api/auth/sign-out', { method: 'POST', headers: { host: 'initech.localhost:3001' } }));
      expect(signOut.status).toBe(200);
      const otherAuth = await app.proxy(new NextRequest('http://initech.localhost:3001/api/auth/sign-in/email', { method: 'POST', headers: { host: 'initech.localhost:3001' } }));
      expect(otherAuth.status).toBe(403);
      const withToken = await app.proxy(new NextRequest('http://initech.localhost:3001/api/auth/sign-out', { method: 'POST', headers: { host: 'initech.localhost:3001', authorization: 'Bearer x' } }));
      expect(withToken.status).toBe(403);

      for (const [who, reason] of [[undefined, null], ['stranger', null], ['member', 'payment overdue']] as const) {
        const response = await app.proxy(page('http://initech.localhost:3001/', who));
        expect(response.status, who).toBe(200);
        requestHeaders.current = forwarded(response);
        expect(requestHeaders.current.get('x-tenant-id')).toBe(seeded.ids.initech);
        // Every page of it refuses before anything else, the public ones too.
        await expect(app.pageContext('member')).rejects.toThrow('forbidden');
        await expect(app.getTenancy().getTenant()).rejects.toThrow('forbidden');
        expect(await app.getTenancy().getStanding(), who).toMatchObject({ suspended: true, reason });
      }
    } finally {
      await seeded.owner`update tenants set status = 'active', status_reason = null where id = ${seeded.ids.initech}`;
    }
  });
});
