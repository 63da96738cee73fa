/**
 * C14 in the request context: the need an entry point declares is checked against the caller's
 * permissions before the scoped client exists (so a refusal runs no query of the product), a
 * bearer token opens only what `api()` serves and only with its scope, and a token is worth what
 * its maker may still do.
 */
import { describe, expect, it, vi } from 'vitest';
import { createRequestContext, definePermissions, type ApiTokenGrant, type IdentityProvider, type Membership, type TenantRole } from '../src/request/index';
import { TenantSuspendedError, type Database } from '../src/index';

const table = definePermissions({
  roles: {
    member: ['invoices:read', 'invoices:write'],
    admin: ['invoices:read', 'invoices:write', 'audit:read', 'tokens:manage'],
    owner: ['invoices:read', 'invoices:write', 'audit:read', 'tokens:manage'],
  },
  tokenScopes: ['invoices:read', 'invoices:write'],
  manageTokens: 'tokens:manage',
});

const TENANT = '11111111-1111-4111-8111-111111111111';
const MAKER = '22222222-2222-4222-8222-222222222222';

function world(options: { roles?: Record<string, TenantRole>; grant?: Partial<ApiTokenGrant> } = {}) {
  const roles = { ...(options.roles ?? {}) };
  const opened = vi.fn(async (id: string) => ({ tenantId: id }));
  const db = {
    tenants: { byId: vi.fn(async () => ({ id: TENANT, slug: 'acme', name: 'Acme', status: 'active', statusReason: null })) },
    tenant: opened,
  } as unknown as Database;
  const identity: IdentityProvider = {
    session: async (h) => {
      const user = /who=([\w-]+)/.exec(h.get('cookie') ?? '')?.[1];
      return user ? { sessionId: 's', userId: user, email: `${user}@acme.test`, name: user, isPlatformAdmin: false, activeTenantId: null } : null;
    },
    membership: async (userId, tenantId): Promise<Membership | null> => (roles[userId] ? { tenantId, userId, role: roles[userId]! } : null),
    apiToken: async () => ({ tokenId: 't', tenantId: TENANT, name: 'ci', scopes: ['invoices:read'], createdBy: MAKER, ...options.grant }),
  };
  return { ctx: createRequestContext({ db, identity, permissions: table }), opened, roles };
}

const headers = (credentials: { cookie?: string; bearer?: string } = {}) => {
  const h = new Headers({ 'x-tenant-id': TENANT });
  if (credentials.cookie) h.set('cookie', credentials.cookie);
  if (credentials.bearer) h.set('authorization', `Bearer ${credentials.bearer}`);
  return h;
};

describe('the permission table', () => {
  it('gives each role what it lists, and refuses a table that would let a token mint tokens', () => {
    expect(table.has('member', 'audit:read')).toBe(false);
    expect(table.has('admin', 'audit:read')).toBe(true);
    expect(table.has(null, 'invoices:read')).toBe(false);
    expect(table.grantable(['invoices:read', 'audit:read', 'tokens:manage'], 'owner')).toEqual(['invoices:read']);
    expect(() => definePermissions({ roles: { member: [], admin: ['tokens:manage'], owner: ['tokens:manage'] }, tokenScopes: ['tokens:manage'], manageTokens: 'tokens:manage' })).toThrow(/cannot mint/);
    expect(() => definePermissions({ roles: { member: ['Invoices'] as never, admin: [], owner: [] } })).toThrow(/not a permission/);
    expect(() => definePermissions({ roles: { member: ['a:b'], admin: [], owner: [] }, tokenScopes: ['c:d' as 'a:b'] })).toThrow(/not a permission of any role/);
  });
});

describe('a declared need in the request context', () => {
  it('serves a member whose role has the permission, with the role’s permissions on the context', async () => {
    const { ctx, opened } = world({ roles: { dave: 'member' } });
    const c = await ctx.context(headers({ cookie: 'who=dave' }), { need: 'invoices:write' });
    expect([...c.permissions]).toEqual(['invoices:read', 'invoices:write']);
    expect(opened).toHaveBeenCalledTimes(1);
  });

  it('refuses a member without it (403) before the scoped client is opened', async () => {
    const { ctx, opened } = world({ roles: { dave: 'member' } });
    await expect(ctx.context(headers({ cookie: 'who=dave' }), { need: 'audit:read' })).rejects.toMatchObject({ status: 403, code: 'PERMISSION_REQUIRED' });
    expect(opened).not.toHaveBeenCalled();
  });

  it('answers a suspension that reached the directory after the tenant was read as the same 403, without the reason', async () => {
    // The tenant was read as active (the cached entry); db.tenant() has since heard of the suspension.
    const { ctx, opened } = world({ roles: { dave: 'member' } });
    opened.mockRejectedValueOnce(new TenantSuspendedError(TENANT, 'unpaid since October'));
    const refused = ctx.context(headers({ cookie: 'who=dave' }), { need: 'invoices:read' });
    await expect(refused).rejects.toMatchObject({ status: 403, code: 'TENANT_SUSPENDED' });
    await expect(refused).rejects.not.toThrow(/unpaid/);
  });

  it('refuses nobody signed in (401) and a stranger (403 NOT_A_MEMBER)', async () => {
    const { ctx } = world();
    await expect(ctx.context(headers(), { need: 'invoices:read' })).rejects.toMatchObject({ status: 401 });
    await expect(ctx.context(headers({ cookie: 'who=eve' }), { need: 'invoices:read' })).rejects.toMatchObject({ status: 403, code: 'NOT_A_MEMBER' });
  });

  it('refuses a need that is not in the table: a typo is a bug, not a refusal', async () => {
    const { ctx } = world({ roles: { dave: 'owner' } });
    await expect(ctx.context(headers({ cookie: 'who=dave' }), { need: 'invoice:read' })).rejects.toThrow(TypeError);
  });
});

describe('an API token', () => {
  it('opens no page and runs no server action, even beside a valid session (issue 19)', async () => {
    const { ctx, opened } = world({ roles: { alice: 'owner', [MAKER]: 'owner' } });
    for (const need of ['member', 'invoices:read'] as const) {
      await expect(ctx.context(headers({ bearer: 'stk_x' }), { need })).rejects.toMatchObject({ status: 403, code: 'API_TOKEN_NOT_ALLOWED' });
      await expect(ctx.context(headers({ bearer: 'stk_x', cookie: 'who=alice' }), { need })).rejects.toMatchObject({ status: 403, code: 'API_TOKEN_NOT_ALLOWED' });
    }
    expect(opened).not.toHaveBeenCalled();
  });

  it('opens the JSON API with its scope only', async () => {
    const { ctx } = world({ roles: { [MAKER]: 'admin' } });
    const c = await ctx.context(headers({ bearer: 'stk_x' }), { need: 'invoices:read', apiTokens: true });
    expect(c.apiToken?.tokenId).toBe('t');
    expect([...c.permissions]).toEqual(['invoices:read']);
    await expect(ctx.context(headers({ bearer: 'stk_x' }), { need: 'invoices:write', apiTokens: true })).rejects.toMatchObject({ status: 403, code: 'API_TOKEN_SCOPE' });
    await expect(ctx.context(headers({ bearer: 'stk_x' }), { need: 'member', apiTokens: true })).rejects.toMatchObject({ status: 403, code: 'API_TOKEN_SCOPE' });
  });

  it('stops working when its maker is removed or lowered below the right to make tokens, and has no maker-less form', async () => {
    const { ctx, roles } = world({ roles: { [MAKER]: 'admin' } });
    await expect(ctx.context(headers({ bearer: 'stk_x' }), { need: 'invoices:read', apiTokens: true })).resolves.toBeDefined();
    roles[MAKER] = 'member';
    await expect(ctx.context(headers({ bearer: 'stk_x' }), { need: 'invoices:read', apiTokens: true })).rejects.toMatchObject({ status: 401, code: 'API_TOKEN_INVALID' });
    delete roles[MAKER];
    await expect(ctx.context(headers({ bearer: 'stk_x' }), { need: 'invoices:read', apiTokens: true })).rejects.toMatchObject({ status: 401, code: 'API_TOKEN_INVALID' });
    const orphan = world({ roles: { [MAKER]: 'owner' }, grant: { createdBy: null } });
    await expect(orphan.ctx.context(headers({ bearer: 'stk_x' }), { need: 'invoices:read', apiTokens: true })).rejects.toMatchObject({ status: 401 });
  });

  it('carries no more than its maker may grant', async () => {
    const { ctx } = world({ roles: { [MAKER]: 'admin' }, grant: { scopes: ['invoices:read', 'audit:read', 'tokens:manage'] } });
    const c = await ctx.context(headers({ bearer: 'stk_x' }), { need: 'invoices:read', apiTokens: true });
    expect([...c.permissions]).toEqual(['invoices:read']);
  });
});
