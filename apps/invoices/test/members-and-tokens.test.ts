/**
 * The members and API tokens pages' server actions (issue 23 item 3) on a real Postgres, called as
 * Next calls them (the request's headers as the proxy forwards them): each is refused to a member
 * without the permission, to another tenant's member and to a request carrying an API token (tokens
 * open the JSON API only); the last owner stays; a token revoked in the page stops working on the
 * API at once; a revoked invitation cannot be accepted.
 */
import { tenantContextValue } from '@studio/db-schema/config';
import { seedDemo } from '@studio/db-schema/seed';
import { createTestDatabase, type TestDatabase } from '@studio/db-schema/testing';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type * as InvoicesApi from '../src/app/api/v1/invoices/route';
import type * as MemberActions from '../src/app/members/actions';
import type * as TokenActions from '../src/app/tokens/actions';
import type * as Product from '../src/product';

// What an action sees of its request, set per call; Next's navigation helpers throw to end it.
const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock('server-only', () => ({}));
vi.mock('next/headers', () => ({ headers: async () => request.headers, cookies: async () => ({ get: () => undefined }) }));
vi.mock('next/cache', () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));
// The app's `~/` imports (its tsconfig paths), as the build resolves them.
vi.mock('~/product', () => import('../src/product'));
vi.mock('~/permissions', () => import('../src/permissions'));
vi.mock('~/env', () => import('../src/env'));
vi.mock('~/cache', () => import('../src/cache'));
vi.mock('~/lib/invoices', () => import('../src/lib/invoices'));
vi.mock('~/lib/schemas', () => import('../src/lib/schemas'));
vi.mock('next/navigation', () => ({
  redirect: (url: string) => {
    throw Object.assign(new Error(`redirect ${url}`), { refused: 'redirect' });
  },
  forbidden: () => {
    throw Object.assign(new Error('forbidden'), { refused: 'forbidden' });
  },
  notFound: () => {
    throw Object.assign(new Error('notFound'), { refused: 'notFound' });
  },
}));

const ORIGIN = 'http://acme.localhost:3001';
let testDb: TestDatabase;
let su: postgres.Sql;
let ids: Record<string, string>;
let app: typeof Product;
let tokens: typeof TokenActions;
let members: typeof MemberActions;
let api: typeof InvoicesApi;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  testDb = await createTestDatabase();
  await seedDemo(testDb.urls.owner);
  const { seedDemoCredentials, DEMO_PASSWORD } = await import('@studio/auth');
  await seedDemoCredentials(testDb.urls.owner, DEMO_PASSWORD);
  su = postgres(testDb.urls.owner, { max: 1, onnotice: () => {} });
  ids = Object.fromEntries((await su<{ id: string; slug: string }[]>`select id, slug from tenants`).map((t) => [t.slug, t.id]));
  // The app's own modules, on this database.
  vi.stubEnv('DATABASE_URL', testDb.urls.owner);
  vi.stubEnv('DATABASE_APP_URL', testDb.urls.app);
  vi.stubEnv('DATABASE_AUTH_URL', testDb.urls.auth);
  vi.stubEnv('DATABASE_JOBS_URL', testDb.urls.jobs);
  vi.stubEnv('INVOICES_JOBS', 'off');
  app = await import('../src/product');
  tokens = await import('../src/app/tokens/actions');
  members = await import('../src/app/members/actions');
  api = await import('../src/app/api/v1/invoices/route');
  // dave: a member of acme (and an admin of globex); erin: an admin of acme.
  const erin = await app.getAuth().auth.api.signUpEmail({ body: { email: 'erin@acme.test', password: DEMO_PASSWORD, name: 'Erin Admin' } });
  await su`update users set email_verified = true where id = ${erin.user.id}`;
  await su`insert into memberships (tenant_id, user_id, role) values (${ids.acme!}, ${erin.user.id}, 'admin')`;
  for (const email of ['alice@acme.test', 'dave@example.test', 'bob@globex.test', 'erin@acme.test']) {
    const response = await app.getAuth().auth.handler(
      new Request(`${ORIGIN}/api/auth/sign-in/email`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: JSON.stringify({ email, password: DEMO_PASSWORD }) }),
    );
    expect(response.status, email).toBe(200);
    cookies[email] = response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  }
}, 120_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  await app?.getAuth().close();
  await app?.getDb().close();
  await su?.end();
  await testDb?.drop();
});

/** The request as the proxy forwards it to acme's pages: the tenant, and who is asking. */
function as(who: { email?: string; bearer?: string }, tenant = 'acme') {
  const h = new Headers({ 'x-tenant-id': ids[tenant]!, 'x-tenant-source': 'subdomain', origin: ORIGIN, host: 'acme.localhost:3001' });
  if (who.email) h.set('cookie', cookies[who.email]!);
  if (who.bearer) h.set('authorization', `Bearer ${who.bearer}`);
  request.headers = h;
}

function form(entries: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(entries)) for (const v of [value].flat()) data.append(key, v);
  return data;
}

const refusedAs = async (run: () => Promise<unknown>): Promise<string> => {
  try {
    await run();
  } catch (error) {
    const refused = (error as { refused?: string }).refused;
    if (refused) return refused;
    throw error;
  }
  return 'allowed';
};

async function memberId(email: string, tenant = 'acme'): Promise<string> {
  const [row] = await su<{ id: string }[]>`select m.id from memberships m join users u on u.id = m.user_id where u.email = ${email} and m.tenant_id = ${ids[tenant]!}`;
  return row?.id ?? '';
}

async function roleIn(email: string, tenant = 'acme'): Promise<string | null> {
  const [row] = await su<{ role: string }[]>`select m.role from memberships m join users u on u.id = m.user_id where u.email = ${email} and m.tenant_id = ${ids[tenant]!}`;
  return row?.role ?? null;
}

/** A token's row, read as the owner under the tenant's context (api_tokens is FORCE RLS). */
async function tokenRow(id: string, tenant = 'acme') {
  const [row] = await su.begin(async (tx) => {
    await tx`select set_config('app.tenant_context', ${tenantContextValue(ids[tenant]!)}, true)`;
    return tx<{ token_hash: string; last_used_at: Date | null; revoked_at: Date | null }[]>`select token_hash, last_used_at, revoked_at from api_tokens where id = ${id}`;
  });
  return row!;
}

/** GET /api/v1/invoices on acme with a bearer token, as the JSON API answers it. */
async function apiStatus(token: string): Promise<number> {
  as({ bearer: token });
  const response = await api.GET(new Request(`${ORIGIN}/api/v1/invoices`, { headers: request.headers }));
  return response.status;
}

describe('who may run the actions', () => {
  it('refuses every action to a member without the permission (403 page), another tenant’s member (404) and an API token (403)', async () => {
    const [anyToken] = await Promise.all([
      (async () => {
        as({ email: 'alice@acme.test' });
        return (await tokens.createToken({}, form({ name: 'probe', scopes: ['invoices:read'] }))).created!;
      })(),
    ]);
    const target = await memberId('dave@example.test');
    const calls: [string, () => Promise<unknown>][] = [
      ['createToken', () => tokens.createToken({}, form({ name: 'x', scopes: ['invoices:read'] }))],
      ['revokeToken', () => tokens.revokeToken(form({ id: anyToken.id }))],
      ['changeRole', () => members.changeRole({}, form({ memberId: target, role: 'admin' }))],
      ['removeMember', () => members.removeMember(form({ memberId: target }))],
      ['invite', () => members.invite({}, form({ email: 'nobody@partner.test', role: 'member' }))],
      ['resendInvitation', () => members.resendInvitation({}, form({ email: 'nobody@partner.test' }))],
      ['revokeInvitation', () => members.revokeInvitation({}, form({ email: 'nobody@partner.test' }))],
    ];
    for (const [name, call] of calls) {
      as({ email: 'dave@example.test' });
      expect(await refusedAs(call), `${name} as a plain member`).toBe('forbidden');
      as({ email: 'bob@globex.test' });
      expect(await refusedAs(call), `${name} as globex's owner`).toBe('notFound');
      as({ bearer: anyToken.token });
      expect(await refusedAs(call), `${name} with an API token`).toBe('forbidden');
      // A token with a session cookie beside it is still refused: a token opens no action.
      as({ email: 'alice@acme.test', bearer: anyToken.token });
      expect(await refusedAs(call), `${name} with a token and a cookie`).toBe('forbidden');
    }
    // Nothing happened: the token works, dave is still a member, nobody was invited.
    expect(await apiStatus(anyToken.token)).toBe(200);
    expect(await roleIn('dave@example.test')).toBe('member');
    expect(await su`select 1 from invitations where email = 'nobody@partner.test'`).toHaveLength(0);
  });
});

describe('API tokens in the page', () => {
  it('creates a token with its scopes, shown once; it opens the API until revoked, then at once it does not', async () => {
    as({ email: 'erin@acme.test' });
    const answer = await tokens.createToken({}, form({ name: 'Accounting sync', scopes: ['invoices:read', 'exports:read'] }));
    expect(answer.fieldErrors).toBeUndefined();
    const created = answer.created!;
    expect(created.token).toMatch(new RegExp(`^stk_${ids.acme!.replace(/-/g, '')}_`));
    expect(created.scopes).toEqual(['exports:read', 'invoices:read']);
    expect((await tokenRow(created.id)).token_hash).not.toContain(created.token);
    expect(await apiStatus(created.token)).toBe(200);
    // Its use is recorded.
    expect((await tokenRow(created.id)).last_used_at).toBeInstanceOf(Date);
    // Revoked in the page: the very next API request is refused.
    as({ email: 'alice@acme.test' });
    expect(await tokens.revokeToken(form({ id: created.id }))).toMatchObject({ ok: expect.any(String) });
    expect(await apiStatus(created.token)).toBe(401);
    as({ email: 'alice@acme.test' });
    expect(await tokens.revokeToken(form({ id: created.id }))).toMatchObject({ error: expect.any(String) });
  });

  it('asks for a name and a scope of the API, and never revokes another tenant’s token', async () => {
    as({ email: 'alice@acme.test' });
    expect((await tokens.createToken({}, form({ name: ' ', scopes: ['invoices:read'] }))).fieldErrors?.name).toBeTruthy();
    expect((await tokens.createToken({}, form({ name: 'none' }))).fieldErrors?.scopes).toBeTruthy();
    // A permission that is not a token scope (tokens:manage, members:manage) is refused.
    for (const scope of ['tokens:manage', 'members:manage', 'customers:write']) {
      expect((await tokens.createToken({}, form({ name: 'wide', scopes: [scope] }))).fieldErrors?.scopes, scope).toContain(scope);
    }
    as({ email: 'bob@globex.test' }, 'globex');
    const theirs = (await tokens.createToken({}, form({ name: 'globex', scopes: ['invoices:read'] }))).created!;
    as({ email: 'alice@acme.test' });
    expect(await tokens.revokeToken(form({ id: theirs.id }))).toMatchObject({ error: expect.any(String) });
    expect((await tokenRow(theirs.id, 'globex')).revoked_at).toBeNull();
  });
});

describe('members in the page', () => {
  it('lets the owner change a role and an admin remove a member; the last owner stays', async () => {
    as({ email: 'alice@acme.test' });
    expect(await members.changeRole({}, form({ memberId: await memberId('dave@example.test'), role: 'admin' }))).toMatchObject({ ok: expect.stringContaining('admin') });
    expect(await roleIn('dave@example.test')).toBe('admin');
    // The only owner can neither step down nor be removed, whoever asks.
    expect(await members.changeRole({}, form({ memberId: await memberId('alice@acme.test'), role: 'admin' }))).toMatchObject({ error: expect.stringContaining('only owner') });
    expect(await members.removeMember(form({ memberId: await memberId('alice@acme.test') }))).toMatchObject({ error: expect.any(String) });
    as({ email: 'erin@acme.test' });
    expect(await members.removeMember(form({ memberId: await memberId('alice@acme.test') }))).toMatchObject({ error: expect.any(String) });
    expect(await members.changeRole({}, form({ memberId: await memberId('alice@acme.test'), role: 'member' }))).toMatchObject({ error: expect.any(String) });
    // An admin cannot make an owner, nor invite one.
    expect(await members.changeRole({}, form({ memberId: await memberId('dave@example.test'), role: 'owner' }))).toMatchObject({ error: expect.any(String) });
    expect(await members.invite({}, form({ email: 'boss@partner.test', role: 'owner' }))).toMatchObject({ error: expect.any(String) });
    expect(await roleIn('alice@acme.test')).toBe('owner');
    expect(await roleIn('dave@example.test')).toBe('admin');
    // Another tenant's membership id is unknown here.
    expect(await members.removeMember(form({ memberId: await memberId('dave@example.test', 'globex') }))).toMatchObject({ error: expect.stringContaining('No such member') });
    expect(await roleIn('dave@example.test', 'globex')).toBe('admin');
    // The admin removes dave: gone from acme, still in globex.
    expect(await members.removeMember(form({ memberId: await memberId('dave@example.test') }))).toMatchObject({ ok: expect.stringContaining('removed') });
    expect(await roleIn('dave@example.test')).toBeNull();
    expect(await roleIn('dave@example.test', 'globex')).toBe('admin');
  });

  it('invites, resends and revokes; the revoked invitation cannot be accepted', async () => {
    as({ email: 'alice@acme.test' });
    expect(await members.invite({}, form({ email: 'new@partner.test', role: 'member' }))).toMatchObject({ email: 'new@partner.test' });
    const link = app.getMailer().lastTo('new@partner.test')!.link!;
    const id = link.split('/').at(-1)!;
    expect(await members.resendInvitation({}, form({ email: 'new@partner.test' }))).toMatchObject({ done: expect.any(String) });
    expect(app.getMailer().lastTo('new@partner.test')!.link).toBe(link);
    expect(await members.revokeInvitation({}, form({ email: 'new@partner.test' }))).toMatchObject({ done: expect.any(String) });
    expect(await app.getAuth().invitation(id)).toMatchObject({ status: 'canceled' });
    // The invitee proves the address and tries the old link.
    const auth = app.getAuth().auth;
    const signUp = await auth.api.signUpEmail({ body: { email: 'new@partner.test', password: 'new partner pw', name: 'New' } });
    await su`update users set email_verified = true where id = ${signUp.user.id}`;
    const signIn = await auth.handler(
      new Request(`${ORIGIN}/api/auth/sign-in/email`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: JSON.stringify({ email: 'new@partner.test', password: 'new partner pw' }) }),
    );
    const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const accept = await auth.handler(
      new Request(`${ORIGIN}/api/auth/organization/accept-invitation`, { method: 'POST', headers: { origin: ORIGIN, cookie, 'content-type': 'application/json' }, body: JSON.stringify({ invitationId: id }) }),
    );
    expect(accept.status).toBeGreaterThanOrEqual(400);
    expect(accept.status).toBeLessThan(500);
    expect(await roleIn('new@partner.test')).toBeNull();
    // Resending or revoking it again is refused in words.
    expect(await members.resendInvitation({}, form({ email: 'new@partner.test' }))).toMatchObject({ error: expect.any(String) });
  });
});
