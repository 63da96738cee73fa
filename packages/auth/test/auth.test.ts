import { auditTrail, verifyAuditChain } from '@studio/tenancy/audit';
import { createRequestContext, TenantRequestError, type RequestContext } from '@studio/tenancy/request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authWorld, cookieFrom, forwarded, PASSWORD, type AuthWorld } from './helpers';

let w: AuthWorld;
let ctx: RequestContext;

beforeAll(async () => {
  w = await authWorld();
  ctx = createRequestContext({ db: w.db, identity: w.auth.identity });
}, 60_000);

afterAll(async () => {
  await w?.close();
});

async function refusal(promise: Promise<unknown>): Promise<TenantRequestError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TenantRequestError);
  return error as TenantRequestError;
}

describe('email and password', () => {
  it('signs up, stores a scrypt hash rather than the password, and signs in', async () => {
    const response = await w.call('/sign-up/email', { body: { email: 'erin@example.test', password: 'correct horse battery', name: 'Erin' } });
    expect(response.status).toBe(200);
    // Sign-up opens no session (it answers a registered address alike): signing in does.
    expect(cookieFrom(response)).toBe('');
    const cookie = await w.signIn('erin@example.test', 'correct horse battery');
    expect(cookie).toMatch(/better-auth\.session_token=/);
    const session = await w.auth.identity.session(new Headers({ cookie }));
    expect(session).toMatchObject({ email: 'erin@example.test', name: 'Erin', isPlatformAdmin: false });
    const [account] = await w.owner<{ password: string }[]>`
      select a.password from accounts a join users u on u.id = a.user_id where u.email = 'erin@example.test'`;
    expect(account!.password).not.toContain('correct horse');
    expect(account!.password).toMatch(/^[0-9a-f]+:[0-9a-f]+$/);
  });

  it('cannot make itself a platform admin through sign-up', async () => {
    const response = await w.call('/sign-up/email', {
      body: { email: 'mallory@example.test', password: 'correct horse battery', name: 'Mallory', isPlatformAdmin: true },
    });
    // Better Auth refuses the field outright, or ignores it; either way no admin is made.
    const [row] = await w.owner<{ is_platform_admin: boolean }[]>`select is_platform_admin from users where email = 'mallory@example.test'`;
    if (response.status === 200) expect(row!.is_platform_admin).toBe(false);
    else expect(row).toBeUndefined();
  });

  it('refuses a wrong password and an unknown user alike', async () => {
    const wrong = await w.call('/sign-in/email', { body: { email: 'alice@acme.test', password: 'not-the-password' } });
    const unknown = await w.call('/sign-in/email', { body: { email: 'nobody@acme.test', password: 'not-the-password' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(cookieFrom(wrong)).toBe('');
  });

  it('refuses sign-ins and signed-in actions posted from an untrusted origin (CSRF)', async () => {
    const signIn = await w.call('/sign-in/email', { body: { email: 'alice@acme.test', password: PASSWORD }, origin: 'http://evil.test' });
    expect(signIn.status).toBe(403);
    const cookie = await w.signIn('alice@acme.test');
    const invite = await w.call('/organization/invite-member', {
      cookie,
      origin: 'http://evil.test',
      body: { email: 'csrf@evil.test', role: 'admin', organizationId: w.ids.acme },
    });
    expect(invite.status).toBe(403);
    expect(w.mailer.lastTo('csrf@evil.test')).toBeUndefined();
  });

  it('signs out: the session row is gone and its cookie no longer works', async () => {
    const cookie = await w.signIn('alice@acme.test');
    expect(await w.auth.identity.session(new Headers({ cookie }))).not.toBeNull();
    const out = await w.call('/sign-out', { body: {}, cookie });
    expect(out.status).toBe(200);
    expect(await w.auth.identity.session(new Headers({ cookie }))).toBeNull();
  });

  it('refuses forged, tampered and expired session cookies', async () => {
    const cookie = await w.signIn('alice@acme.test');
    const [name, value] = cookie.split('=') as [string, string];
    const [token, signature] = decodeURIComponent(value).split('.') as [string, string];
    const tampered = `${name}=${encodeURIComponent(`${token}.${signature.slice(0, -4)}AAAA`)}`;
    const unsigned = `${name}=${encodeURIComponent(token)}`;
    const forged = `${name}=${encodeURIComponent(`${'x'.repeat(32)}.${signature}`)}`;
    for (const bad of [tampered, unsigned, forged]) {
      expect(await w.auth.identity.session(new Headers({ cookie: bad }))).toBeNull();
    }
    await w.owner`update sessions set expires_at = now() - interval '1 minute' where token = ${token}`;
    expect(await w.auth.identity.session(new Headers({ cookie }))).toBeNull();
  });

  it('keeps tenants out of reach: no creating, renaming or deleting them through auth', async () => {
    const cookie = await w.signIn('alice@acme.test');
    for (const path of ['/organization/create', '/organization/update', '/organization/delete']) {
      const response = await w.call(path, { cookie, body: { name: 'Evil', slug: 'evil', organizationId: w.ids.acme, data: { name: 'Evil' } } });
      expect(response.status, path).toBe(404);
    }
    const [acme] = await w.owner<{ name: string }[]>`select name from tenants where id = ${w.ids.acme}`;
    expect(acme!.name).not.toBe('Evil');
  });
});

describe('memberships and the request context', () => {
  it('gives a member of acme the context of acme, with the role from the membership', async () => {
    const cookie = await w.signIn('alice@acme.test');
    const c = await ctx.context(forwarded(w.ids.acme, { cookie }));
    expect(c.tenant.slug).toBe('acme');
    expect(c.membership).toMatchObject({ role: 'owner', tenantId: w.ids.acme });
    expect(c.db.tenantId).toBe(w.ids.acme);
  });

  it('refuses a member of acme on globex, even when the forwarded tenant is forged (proxy bypassed)', async () => {
    const cookie = await w.signIn('alice@acme.test');
    const error = await refusal(ctx.context(forwarded(w.ids.globex, { cookie })));
    expect(error).toMatchObject({ status: 403, code: 'NOT_A_MEMBER' });
  });

  it('gives a platform admin who is not a member no tenant access', async () => {
    const cookie = await w.signIn('admin@studio.test');
    const session = await w.auth.identity.session(new Headers({ cookie }));
    expect(session!.isPlatformAdmin).toBe(true);
    const error = await refusal(ctx.context(forwarded(w.ids.acme, { cookie })));
    expect(error).toMatchObject({ status: 403, code: 'NOT_A_MEMBER' });
  });

  it('asks for a sign-in without a session, and refuses a request that names no tenant', async () => {
    expect(await refusal(ctx.context(forwarded(w.ids.acme)))).toMatchObject({ status: 401, code: 'AUTH_REQUIRED' });
    expect(await refusal(ctx.context(new Headers()))).toMatchObject({ status: 404, code: 'TENANT_REQUIRED' });
    expect(await refusal(ctx.context(forwarded('not-a-uuid')))).toMatchObject({ status: 404, code: 'TENANT_NOT_FOUND' });
  });

  it('lists the tenants of a user who belongs to two', async () => {
    const [dave] = await w.owner<{ id: string }[]>`select id from users where email = 'dave@example.test'`;
    const tenants = await w.auth.tenantsOf(dave!.id);
    expect(tenants.map((t) => [t.slug, t.role])).toEqual([
      ['acme', 'member'],
      ['globex', 'admin'],
    ]);
  });
});

describe('invitations', () => {
  it('onboards three associates: invited by the owner, each signs up, accepts and lands in acme', async () => {
    const owner = await w.signIn('alice@acme.test');
    const associates = ['ann@associates.test', 'ben@associates.test', 'cat@associates.test'];
    for (const email of associates) {
      const response = await w.call('/organization/invite-member', { cookie: owner, body: { email, role: 'member', organizationId: w.ids.acme } });
      expect(response.status, await response.clone().text()).toBe(200);
    }
    for (const email of associates) {
      const mail = w.mailer.lastTo(email);
      expect(mail?.subject).toContain('Acme');
      const id = /\/invite\/([0-9a-f-]{36})$/.exec(mail!.link!)![1]!;
      expect(mail!.link).toBe(`http://acme.localhost:3001/invite/${id}`);
      const signUp = await w.call('/sign-up/email', { body: { email, password: 'associate password', name: email.split('@')[0] } });
      expect(signUp.status).toBe(200);
      // Accepting needs the address proved: they follow the link mailed to it.
      const confirm = new URL(w.mailer.lastTo(email)!.link!);
      expect(confirm.pathname).toBe('/api/auth/verify-email');
      expect((await w.call(`/verify-email${confirm.search}`)).status).toBe(302);
      const cookie = await w.signIn(email, 'associate password');
      const accept = await w.call('/organization/accept-invitation', { cookie, body: { invitationId: id } });
      expect(accept.status, await accept.clone().text()).toBe(200);
      const c = await ctx.context(forwarded(w.ids.acme, { cookie }));
      expect(c.membership!.role).toBe('member');
      // Their dashboard's data is acme's and nobody else's.
      expect(c.db.tenantId).toBe(w.ids.acme);
      // They land in acme: the session's active tenant is set by accepting.
      const session = await w.auth.identity.session(new Headers({ cookie }));
      expect(session!.activeTenantId).toBe(w.ids.acme);
    }
  });

  it('writes the invitation and the join to the audit trail, with who did it', async () => {
    const trail = await auditTrail(await w.db.tenant(w.ids.acme), { action: 'member.invite', limit: 500 });
    const [alice] = await w.owner<{ id: string }[]>`select id from users where email = 'alice@acme.test'`;
    const invite = trail.events.find((e) => (e.payload as { email?: string }).email === 'ann@associates.test');
    expect(invite).toMatchObject({ actorId: alice!.id, payload: { role: 'member' } });
    const joins = await auditTrail(await w.db.tenant(w.ids.acme), { action: 'member.join', limit: 500 });
    expect(joins.events.length).toBeGreaterThanOrEqual(3);
    expect(await verifyAuditChain(await w.db.tenant(w.ids.acme))).toMatchObject({ ok: true });
  });

  it('names who changed a role and who removed a member, not only the member', async () => {
    const [alice] = await w.owner<{ id: string }[]>`select id from users where email = 'alice@acme.test'`;
    const [ann] = await w.owner<{ id: string }[]>`
      select m.id from memberships m join users u on u.id = m.user_id where u.email = 'ann@associates.test' and m.tenant_id = ${w.ids.acme}`;
    const owner = await w.signIn('alice@acme.test');
    const promote = await w.call('/organization/update-member-role', { cookie: owner, body: { memberId: ann!.id, role: 'admin', organizationId: w.ids.acme } });
    expect(promote.status, await promote.clone().text()).toBe(200);
    const remove = await w.call('/organization/remove-member', { cookie: owner, body: { memberIdOrEmail: ann!.id, organizationId: w.ids.acme } });
    expect(remove.status, await remove.clone().text()).toBe(200);
    const acme = await w.db.tenant(w.ids.acme);
    const [changed] = (await auditTrail(acme, { action: 'member.role_change', target: ann!.id })).events;
    expect(changed).toMatchObject({ actorId: alice!.id, payload: { from: 'member', to: 'admin' } });
    const [removed] = (await auditTrail(acme, { action: 'member.remove', target: ann!.id })).events;
    expect(removed).toMatchObject({ actorId: alice!.id, payload: { email: 'ann@associates.test' } });
  });

  it('lets only the invited address accept', async () => {
    const owner = await w.signIn('alice@acme.test');
    await w.call('/organization/invite-member', { cookie: owner, body: { email: 'dan@associates.test', role: 'admin', organizationId: w.ids.acme } });
    const id = /\/invite\/([0-9a-f-]{36})$/.exec(w.mailer.lastTo('dan@associates.test')!.link!)![1]!;
    await w.call('/sign-up/email', { body: { email: 'eve@elsewhere.test', password: 'intruder password', name: 'Eve' } });
    const intruder = await w.signIn('eve@elsewhere.test', 'intruder password');
    const accept = await w.call('/organization/accept-invitation', { cookie: intruder, body: { invitationId: id } });
    expect(accept.status).toBeGreaterThanOrEqual(400);
    expect(await refusal(ctx.context(forwarded(w.ids.acme, { cookie: intruder })))).toMatchObject({ code: 'NOT_A_MEMBER' });
  });

  it('does not let a plain member invite, nor an owner of acme invite into globex', async () => {
    const dave = await w.signIn('dave@example.test'); // member of acme
    const byMember = await w.call('/organization/invite-member', { cookie: dave, body: { email: 'x@associates.test', role: 'member', organizationId: w.ids.acme } });
    expect(byMember.status).toBe(403);
    const alice = await w.signIn('alice@acme.test');
    const elsewhere = await w.call('/organization/invite-member', { cookie: alice, body: { email: 'y@associates.test', role: 'member', organizationId: w.ids.globex } });
    expect(elsewhere.status).toBeGreaterThanOrEqual(400);
    expect(w.mailer.lastTo('x@associates.test')).toBeUndefined();
    expect(w.mailer.lastTo('y@associates.test')).toBeUndefined();
  });
});

describe('what the pages read', () => {
  it('shows an invitation to its invitee, and lists the members of a tenant only', async () => {
    const owner = await w.signIn('alice@acme.test');
    await w.call('/organization/invite-member', { cookie: owner, body: { email: 'fay@associates.test', role: 'member', organizationId: w.ids.acme } });
    const id = /\/invite\/([0-9a-f-]{36})$/.exec(w.mailer.lastTo('fay@associates.test')!.link!)![1]!;
    expect(await w.auth.invitation(id)).toMatchObject({ email: 'fay@associates.test', status: 'pending', tenantSlug: 'acme', role: 'member' });
    expect(await w.auth.invitation('not-an-id')).toBeNull();
    const members = await w.auth.membersOf(w.ids.globex);
    expect(members.map((m) => m.email).sort()).toEqual(['bob@globex.test', 'dave@example.test']);
  });
});
