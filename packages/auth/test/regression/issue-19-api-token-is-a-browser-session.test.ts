/**
 * Issue 19: "An API token is a full browser session." With `Authorization: Bearer <token>`,
 * /members, /audit, /customers and /export answered 200 and the pages' server actions ran; and a
 * token outlived its maker's right to make it. Now the request context of a page or server
 * action refuses any bearer token (403), the JSON API serves a token only within its scopes, and
 * a token stops working when its maker is removed or lowered below tokens:manage.
 */
import { createRequestContext, definePermissions, type RequestContext } from '@studio/tenancy/request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/index';
import { authWorld, forwarded, type AuthWorld } from '../helpers';

const table = definePermissions({
  roles: {
    member: ['customers:read', 'invoices:read', 'members:read'],
    admin: ['customers:read', 'invoices:read', 'members:read', 'audit:read', 'exports:run', 'tokens:manage'],
    owner: ['customers:read', 'invoices:read', 'members:read', 'audit:read', 'exports:run', 'tokens:manage'],
  },
  tokenScopes: ['invoices:read', 'exports:run'],
  manageTokens: 'tokens:manage',
});

let w: AuthWorld;
let ctx: RequestContext;
let tara: string;

beforeAll(async () => {
  w = await authWorld();
  ctx = createRequestContext({ db: w.db, identity: w.auth.identity, permissions: table });
  const [user] = await w.owner<{ id: string }[]>`insert into users (email, name, email_verified) values ('tara@acme.test', 'Tara', true) returning id`;
  tara = user!.id;
  await w.owner`insert into memberships (tenant_id, user_id, role) values (${w.ids.acme}, ${tara}, 'admin')`;
}, 60_000);

afterAll(async () => {
  await w?.close();
});

const setRole = (role: 'admin' | 'member') => w.owner`update memberships set role = ${role} where user_id = ${tara} and tenant_id = ${w.ids.acme}`;

describe('issue 19: an API token is not a browser session', () => {
  it('opens no page and runs no server action: every page need is refused with 403, a session cookie beside it or not', async () => {
    const acme = await w.db.tenant(w.ids.acme);
    const { token } = await createApiToken(acme, { name: 'ci', createdBy: tara, scopes: ['invoices:read', 'exports:run'] });
    const cookie = await w.signIn('alice@acme.test');
    // What /members, /audit, /customers, /export and the export action declare.
    for (const need of ['members:read', 'audit:read', 'customers:read', 'exports:run', 'member'] as const) {
      await expect(ctx.context(forwarded(w.ids.acme, { bearer: token }), { need })).rejects.toMatchObject({ status: 403, code: 'API_TOKEN_NOT_ALLOWED' });
      await expect(ctx.context(forwarded(w.ids.acme, { bearer: token, cookie }), { need })).rejects.toMatchObject({ status: 403, code: 'API_TOKEN_NOT_ALLOWED' });
    }
    // The JSON API takes it, within its scopes.
    await expect(ctx.context(forwarded(w.ids.acme, { bearer: token }), { need: 'invoices:read', apiTokens: true })).resolves.toMatchObject({ apiToken: { createdBy: tara } });
    await expect(ctx.context(forwarded(w.ids.acme, { bearer: token }), { need: 'customers:read', apiTokens: true })).rejects.toMatchObject({ status: 403, code: 'API_TOKEN_SCOPE' });
  });

  it('stops working while its maker may not make tokens: lowered to member, or removed', async () => {
    const acme = await w.db.tenant(w.ids.acme);
    const { token } = await createApiToken(acme, { name: 'nightly', createdBy: tara, scopes: ['invoices:read'] });
    const api = () => ctx.context(forwarded(w.ids.acme, { bearer: token }), { need: 'invoices:read', apiTokens: true });
    await expect(api()).resolves.toBeDefined();
    await setRole('member');
    await expect(api()).rejects.toMatchObject({ status: 401, code: 'API_TOKEN_INVALID' });
    await setRole('admin');
    await expect(api()).resolves.toBeDefined();
    await w.owner`delete from memberships where user_id = ${tara} and tenant_id = ${w.ids.acme}`;
    await expect(api()).rejects.toMatchObject({ status: 401, code: 'API_TOKEN_INVALID' });
  });
});
