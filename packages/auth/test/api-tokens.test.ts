import { tenantContextValue } from '@studio/db-schema/config';
import { auditTrail } from '@studio/tenancy/audit';
import { createRequestContext, definePermissions, type RequestContext } from '@studio/tenancy/request';
import { formatApiToken, parseApiToken } from '@studio/tenancy/resolver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken, listApiTokens, revokeApiToken, verifyApiToken } from '../src/index';
import { authWorld, forwarded, type AuthWorld } from './helpers';

let w: AuthWorld;
let ctx: RequestContext;
/** The seeded owners, who may make tokens. */
const makers: Record<'acme' | 'globex' | 'initech', string> = { acme: '', globex: '', initech: '' };

/** A product's table, as the invoices app has it: tokens carry the API's rights only. */
const table = definePermissions({
  roles: {
    member: ['invoices:read', 'invoices:write'],
    admin: ['invoices:read', 'invoices:write', 'tokens:manage'],
    owner: ['invoices:read', 'invoices:write', 'tokens:manage'],
  },
  tokenScopes: ['invoices:read', 'invoices:write'],
  manageTokens: 'tokens:manage',
});
const API = { need: 'invoices:read', apiTokens: true } as const;

beforeAll(async () => {
  w = await authWorld();
  ctx = createRequestContext({ db: w.db, identity: w.auth.identity, permissions: table });
  for (const row of await w.owner<{ slug: 'acme'; id: string }[]>`
    select t.slug, m.user_id as id from memberships m join tenants t on t.id = m.tenant_id where m.role = 'owner'`) {
    makers[row.slug] = row.id;
  }
}, 60_000);

afterAll(async () => {
  await w?.close();
});

describe('API tokens', () => {
  it('is shown once, stored only as a hash, carries its tenant, and records its last use', async () => {
    const acme = await w.db.tenant(w.ids.acme);
    const created = await createApiToken(acme, { name: 'CI export', createdBy: makers.acme, scopes: ['invoices:read'] });
    expect(parseApiToken(created.token)?.tenantId).toBe(w.ids.acme);
    const stored = await w.owner.begin(async (tx) => {
      await tx`select set_config('app.tenant_context', ${tenantContextValue(w.ids.acme)}, true)`;
      return tx<{ token_hash: string; last_used_at: Date | null }[]>`select token_hash, last_used_at from api_tokens where id = ${created.id}`;
    });
    expect(stored[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(created.token.slice(37));
    expect(stored[0]!.last_used_at).toBeNull();

    const c = await ctx.context(forwarded(w.ids.acme, { bearer: created.token }), API);
    expect(c.apiToken).toMatchObject({ tokenId: created.id, tenantId: w.ids.acme, name: 'CI export', scopes: ['invoices:read'], createdBy: makers.acme });
    expect(c.session).toBeNull();
    expect(c.db.tenantId).toBe(w.ids.acme);
    const [listed] = (await listApiTokens(acme)).filter((t) => t.id === created.id);
    expect(listed!.lastUsedAt).toBeInstanceOf(Date);
    expect(listed).toMatchObject({ scopes: ['invoices:read'], createdBy: makers.acme });
    expect(listed).not.toHaveProperty('tokenHash');
  });

  it('writes its last use at most once a minute, and stops at once when revoked', async () => {
    const acme = await w.db.tenant(w.ids.acme);
    const created = await createApiToken(acme, { name: 'busy', createdBy: makers.acme, scopes: ['invoices:read'] });
    const lastUsed = async () => {
      const [row] = await w.owner.begin(async (tx) => {
        await tx`select set_config('app.tenant_context', ${tenantContextValue(w.ids.acme)}, true)`;
        return tx<{ at: string | null; xmin: string }[]>`select last_used_at::text as at, xmin::text from api_tokens where id = ${created.id}`;
      });
      return row!;
    };
    await verifyApiToken(w.db, created.token);
    const first = await lastUsed();
    expect(first.at).not.toBeNull();
    // Used again within the minute: read, not written (the row version stays the same).
    for (let i = 0; i < 3; i++) expect(await verifyApiToken(w.db, created.token)).not.toBeNull();
    expect(await lastUsed()).toEqual(first);
    // A minute later (set back by the owner): written again.
    await w.owner.begin(async (tx) => {
      await tx`select set_config('app.tenant_context', ${tenantContextValue(w.ids.acme)}, true)`;
      await tx`update api_tokens set last_used_at = now() - interval '61 seconds' where id = ${created.id}`;
    });
    const old = await lastUsed();
    await verifyApiToken(w.db, created.token);
    const again = await lastUsed();
    expect(again.xmin).not.toBe(old.xmin);
    expect(new Date(again.at!).getTime()).toBeGreaterThan(new Date(old.at!).getTime());
    // Not written for a minute, and still refused at once once revoked.
    expect(await revokeApiToken(acme, created.id)).toBe(true);
    expect(await verifyApiToken(w.db, created.token)).toBeNull();
  });

  it('refuses a revoked token', async () => {
    const acme = await w.db.tenant(w.ids.acme);
    const created = await createApiToken(acme, { name: 'short-lived', createdBy: makers.acme, scopes: ['invoices:read'] });
    expect(await verifyApiToken(w.db, created.token)).not.toBeNull();
    expect(await revokeApiToken(acme, created.id)).toBe(true);
    expect(await revokeApiToken(acme, created.id)).toBe(false);
    expect(await verifyApiToken(w.db, created.token)).toBeNull();
    const trail = await auditTrail(acme, { target: created.id });
    expect(trail.events.map((e) => e.action)).toEqual(['api_token.revoke', 'api_token.create']);
    expect(JSON.stringify(trail.events)).not.toContain(created.token);
    await expect(ctx.context(forwarded(w.ids.acme, { bearer: created.token }), API)).rejects.toMatchObject({ status: 401, code: 'API_TOKEN_INVALID' });
  });

  it("cannot be revoked by another tenant, nor used on another tenant's requests", async () => {
    const acme = await w.db.tenant(w.ids.acme);
    const globex = await w.db.tenant(w.ids.globex);
    const created = await createApiToken(acme, { name: 'acme only', createdBy: makers.acme, scopes: ['invoices:read'] });
    expect(await revokeApiToken(globex, created.id)).toBe(false);
    expect(await verifyApiToken(w.db, created.token)).not.toBeNull();
    await expect(ctx.context(forwarded(w.ids.globex, { bearer: created.token }), API)).rejects.toMatchObject({ status: 403, code: 'API_TOKEN_WRONG_TENANT' });
  });

  it('refuses forged claims and malformed tokens', async () => {
    const acme = await w.db.tenant(w.ids.acme);
    const created = await createApiToken(acme, { name: 'to forge', createdBy: makers.acme, scopes: ['invoices:read'] });
    const secret = parseApiToken(created.token)!.secret;
    // acme's secret with globex's claim: looked up among globex's tokens, found nowhere.
    expect(await verifyApiToken(w.db, formatApiToken(w.ids.globex, secret))).toBeNull();
    expect(await verifyApiToken(w.db, formatApiToken('00000000-0000-4000-8000-000000000000', secret))).toBeNull();
    for (const bad of ['', 'stk_', created.token.toUpperCase(), `${created.token}x`, created.token.replace('stk_', 'tok_'), "stk_' or 1=1 --"]) {
      expect(await verifyApiToken(w.db, bad), bad).toBeNull();
    }
  });

  it('refuses a token of a suspended tenant, and only reads (no last-use write) for a read-only one', async () => {
    const initech = await w.db.tenant(w.ids.initech);
    const created = await createApiToken(initech, { name: 'initech', createdBy: makers.initech, scopes: ['invoices:read'] });
    await w.owner`update tenants set status = 'read_only' where id = ${w.ids.initech}`;
    w.db.forgetTenant(w.ids.initech);
    expect(await verifyApiToken(w.db, created.token)).toMatchObject({ tenantId: w.ids.initech });
    await w.owner`update tenants set status = 'suspended', status_reason = 'unpaid' where id = ${w.ids.initech}`;
    w.db.forgetTenant(w.ids.initech);
    expect(await verifyApiToken(w.db, created.token)).toBeNull();
    await w.owner`update tenants set status = 'active', status_reason = null where id = ${w.ids.initech}`;
    w.db.forgetTenant(w.ids.initech);
  });

  it('asks for a name, a scope or more, and its maker', async () => {
    const acme = await w.db.tenant(w.ids.acme);
    await expect(createApiToken(acme, { name: '   ', createdBy: makers.acme, scopes: ['invoices:read'] })).rejects.toMatchObject({ code: 'API_TOKEN_INPUT' });
    await expect(createApiToken(acme, { name: 'no scope', createdBy: makers.acme, scopes: [] })).rejects.toMatchObject({ code: 'API_TOKEN_INPUT' });
    await expect(createApiToken(acme, { name: 'bad scope', createdBy: makers.acme, scopes: ['everything'] })).rejects.toMatchObject({ code: 'API_TOKEN_INPUT' });
    await expect(createApiToken(acme, { name: 'nobody', createdBy: '', scopes: ['invoices:read'] })).rejects.toMatchObject({ code: 'API_TOKEN_INPUT' });
  });
});
