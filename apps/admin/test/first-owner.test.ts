/**
 * Issue 23: "a tenant created in the console has no member and nobody can invite its first owner".
 * The console invites the first owner (@studio/platform's inviteFirstOwner, with the console's own
 * Auth as src/auth.ts makes it); the invitee accepts through the real path of the products (a
 * product's Better Auth endpoints: sign up, confirm the address by the mailed link, accept) and is
 * the tenant's owner. The invitation holds only while its sender is a platform admin and the
 * tenant still has no owner; a new one replaces the pending one.
 */
import { createAuth, createDevMailer, seedDemoCredentials, type Auth, type DevMailer } from '@studio/auth';
import { seedDemo } from '@studio/db-schema/seed';
import { createTestDatabase, type TestDatabase } from '@studio/db-schema/testing';
import { createAdminDatabase, createTenant, inviteFirstOwner, type AdminDatabase } from '@studio/platform';
import { createDatabase, type Database } from '@studio/tenancy';
import { type RequestSession } from '@studio/tenancy/request';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTenant } from '../src/lib/console';
import { parseNewTenant, parseOwnerInvite } from '../src/lib/forms';

const SECRET = 'test-secret-test-secret-test-secret-0123';
let testDb: TestDatabase;
let su: postgres.Sql;
let admin: AdminDatabase;
let db: Database;
let me: RequestSession;
/** The console's Auth (src/auth.ts): invite links to the invoices app's invite page. */
let consoleAuth: Auth;
let consoleMail: DevMailer;
/** A product's Auth (the invoices app's settings), where invitees sign up and accept. */
let product: Auth;
let productMail: DevMailer;

beforeAll(async () => {
  testDb = await createTestDatabase();
  await seedDemo(testDb.urls.owner);
  await seedDemoCredentials(testDb.urls.owner, 'demo-password');
  su = postgres(testDb.urls.migrate, { max: 1, onnotice: () => {} });
  const [user] = await su<{ id: string }[]>`select id from users where email = 'admin@studio.test'`;
  me = { sessionId: 'test', userId: user!.id, email: 'admin@studio.test', name: 'Platform Admin', isPlatformAdmin: true, activeTenantId: null };
  admin = createAdminDatabase({ url: testDb.urls.admin });
  db = createDatabase({ url: testDb.urls.app, mode: 'rls', tenantCache: { listen: false } });
  consoleMail = createDevMailer({ log: () => {} });
  consoleAuth = createAuth({
    url: testDb.urls.auth,
    db,
    secret: SECRET,
    baseURL: 'http://localhost:3003',
    trustedOrigins: ['http://localhost:3003'],
    mailer: consoleMail,
    invitationLink: ({ id, tenantSlug }) => `http://${tenantSlug}.localhost:3001/invite/${id}`,
  });
  productMail = createDevMailer({ log: () => {} });
  product = createAuth({
    url: testDb.urls.auth,
    db,
    secret: SECRET,
    baseURL: { allowedHosts: ['localhost:3001', '*.localhost:3001'], fallback: 'http://localhost:3001', protocol: 'http' },
    trustedOrigins: ['http://localhost:3001', 'http://*.localhost:3001'],
    mailer: productMail,
    invitationLink: ({ id, tenantSlug }) => `http://${tenantSlug}.localhost:3001/invite/${id}`,
  });
}, 60_000);

afterAll(async () => {
  await consoleAuth?.close();
  await product?.close();
  await db?.close();
  await admin?.close();
  await su?.end();
  await testDb?.drop();
});

/** Calls the product's auth endpoints as a browser on the tenant's host. */
function call(slug: string, path: string, init: { body?: unknown; cookie?: string } = {}): Promise<Response> {
  const origin = `http://${slug}.localhost:3001`;
  const headers: Record<string, string> = { origin, 'content-type': 'application/json' };
  if (init.cookie) headers.cookie = init.cookie;
  return product.auth.handler(
    new Request(`${origin}/api/auth${path}`, { method: init.body === undefined ? 'GET' : 'POST', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) }),
  );
}

const cookieFrom = (response: Response) =>
  response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .filter((c) => !c.endsWith('='))
    .join('; ');

/** Signs up at the product, follows the confirmation link mailed, signs in: a person who owns the address. */
async function invitee(slug: string, email: string): Promise<string> {
  const password = `${email} password`;
  expect((await call(slug, '/sign-up/email', { body: { email, password, name: email.split('@')[0] } })).status).toBe(200);
  const link = new URL(productMail.lastTo(email)!.link!);
  await call(slug, link.pathname.replace(/^\/api\/auth/, '') + link.search);
  const signIn = await call(slug, '/sign-in/email', { body: { email, password } });
  expect(signIn.status).toBe(200);
  return cookieFrom(signIn);
}

const idOf = (link: string) => /\/invite\/([0-9a-f-]{36})$/.exec(link)![1]!;

async function roleIn(slug: string, email: string): Promise<string | null> {
  const [row] = await su<{ role: string }[]>`
    select m.role from memberships m join users u on u.id = m.user_id join tenants t on t.id = m.tenant_id where u.email = ${email} and t.slug = ${slug}`;
  return row?.role ?? null;
}

async function newTenant(slug: string) {
  return createTenant(admin, me, { slug, name: slug[0]!.toUpperCase() + slug.slice(1) });
}

describe("a new tenant's first owner", () => {
  it('is invited from the console and, accepting in a product app, becomes its owner', async () => {
    const tenant = await newTenant('hooli');
    const before = await getTenant(admin, me, 'hooli');
    expect(before).toMatchObject({ members: 0, owners: 0, pendingOwner: null });

    const sent = await inviteFirstOwner(admin, me, consoleAuth, { tenantId: tenant.id, email: 'Gavin@Hooli.test' });
    expect(sent.link).toMatch(/^http:\/\/hooli\.localhost:3001\/invite\/[0-9a-f-]{36}$/);
    // The console's mailer has the same link (logged in development; no mail server here).
    expect(consoleMail.lastTo('gavin@hooli.test')).toMatchObject({ link: sent.link, subject: 'Platform Admin invited you to Hooli' });
    // The console shows the pending invitation, never its id (C16).
    const pending = await getTenant(admin, me, 'hooli');
    expect(pending!.pendingOwner).toMatchObject({ email: 'gavin@hooli.test', invitedBy: 'admin@studio.test' });
    expect(JSON.stringify(pending)).not.toContain(idOf(sent.link));
    // The platform's trail and the tenant's own: who invited whom, without the link.
    const [event] = await su<{ actor_id: string; payload: Record<string, unknown> }[]>`
      select actor_id, payload from platform_events where action = 'admin.tenant.invite_owner' and tenant_id = ${tenant.id}`;
    expect(event).toMatchObject({ actor_id: me.userId, payload: { email: 'gavin@hooli.test' } });
    const [audit] = await su<{ actor_id: string; target: string; payload: Record<string, unknown> }[]>`
      select actor_id, target, payload from audit_events where tenant_id = ${tenant.id} and action = 'member.invite'`;
    expect(audit).toMatchObject({ actor_id: me.userId, target: 'gavin@hooli.test', payload: { role: 'owner', by: 'platform' } });
    expect(JSON.stringify([event, audit])).not.toContain(idOf(sent.link));

    // The invitee, in the invoices app: what its invite page reads, then sign up, confirm, accept.
    expect(await product.invitation(idOf(sent.link))).toMatchObject({ email: 'gavin@hooli.test', role: 'owner', status: 'pending', tenantSlug: 'hooli' });
    const cookie = await invitee('hooli', 'gavin@hooli.test');
    const accept = await call('hooli', '/organization/accept-invitation', { cookie, body: { invitationId: idOf(sent.link) } });
    expect(accept.status, await accept.clone().text()).toBe(200);
    expect(await roleIn('hooli', 'gavin@hooli.test')).toBe('owner');
    expect(await getTenant(admin, me, 'hooli')).toMatchObject({ members: 1, owners: 1, pendingOwner: null });

    // The owner now invites people as any owner does.
    const invite = await call('hooli', '/organization/invite-member', { cookie, body: { email: 'jared@hooli.test', role: 'admin', organizationId: tenant.id } });
    expect(invite.status, await invite.clone().text()).toBe(200);
  });

  it('is not invited by the platform once the tenant has an owner', async () => {
    const [hooli] = await su<{ id: string }[]>`select id from tenants where slug = 'hooli'`;
    await expect(inviteFirstOwner(admin, me, consoleAuth, { tenantId: hooli!.id, email: 'peter@hooli.test' })).rejects.toMatchObject({
      code: 'TENANT_HAS_OWNER',
      message: expect.stringContaining('gavin@hooli.test'),
    });
    // Nor through the auth package directly.
    await expect(consoleAuth.createOwnerInvitation({ tenantId: hooli!.id, email: 'peter@hooli.test', inviterId: me.userId })).rejects.toMatchObject({ code: 'INVITATION_FORBIDDEN' });
    expect(await su`select 1 from invitations where email = 'peter@hooli.test'`).toHaveLength(0);
  });

  it("is never invited by someone who is not a platform admin, even through the auth package", async () => {
    const tenant = await newTenant('aviato');
    const [alice] = await su<{ id: string }[]>`select id from users where email = 'alice@acme.test'`;
    await expect(consoleAuth.createOwnerInvitation({ tenantId: tenant.id, email: 'erlich@aviato.test', inviterId: alice!.id })).rejects.toMatchObject({ code: 'INVITATION_FORBIDDEN' });
    expect(await su`select 1 from invitations where tenant_id = ${tenant.id}`).toHaveLength(0);
  });

  it('has one invitation at a time: a new one (a corrected address) replaces the pending one', async () => {
    const tenant = await newTenant('raviga');
    const first = await inviteFirstOwner(admin, me, consoleAuth, { tenantId: tenant.id, email: 'lorie@raviga.tset' });
    const second = await inviteFirstOwner(admin, me, consoleAuth, { tenantId: tenant.id, email: 'laurie@raviga.test' });
    expect(await product.invitation(idOf(first.link))).toMatchObject({ status: 'canceled' });
    // Whoever holds the first link cannot use it, even with that address proved.
    const stale = await invitee('raviga', 'lorie@raviga.tset');
    expect((await call('raviga', '/organization/accept-invitation', { cookie: stale, body: { invitationId: idOf(first.link) } })).status).toBeGreaterThanOrEqual(400);
    const cookie = await invitee('raviga', 'laurie@raviga.test');
    expect((await call('raviga', '/organization/accept-invitation', { cookie, body: { invitationId: idOf(second.link) } })).status).toBe(200);
    expect(await roleIn('raviga', 'laurie@raviga.test')).toBe('owner');
    expect(await roleIn('raviga', 'lorie@raviga.tset')).toBeNull();
  });

  it('is withdrawn at acceptance when the tenant got an owner meanwhile, or its sender is no longer a platform admin', async () => {
    const bachman = await newTenant('bachman');
    const sent = await inviteFirstOwner(admin, me, consoleAuth, { tenantId: bachman.id, email: 'erlich@bachman.test' });
    const [alice] = await su<{ id: string }[]>`select id from users where email = 'alice@acme.test'`;
    // An owner by another way (an operator): the platform's invitation would make a second one.
    await su`insert into memberships (tenant_id, user_id, role) values (${bachman.id}, ${alice!.id}, 'owner')`;
    const cookie = await invitee('bachman', 'erlich@bachman.test');
    const refused = await call('bachman', '/organization/accept-invitation', { cookie, body: { invitationId: idOf(sent.link) } });
    expect(refused.status).toBe(403);
    expect(await roleIn('bachman', 'erlich@bachman.test')).toBeNull();
    expect(await product.invitation(idOf(sent.link))).toMatchObject({ status: 'canceled' });

    // A second platform admin invites, then loses the flag: the invitation spoke for them.
    const staff = await su<{ id: string }[]>`insert into users (email, name, email_verified, is_platform_admin) values ('ops@studio.test', 'Ops', true, true) returning id`;
    const ops: RequestSession = { ...me, sessionId: 'ops', userId: staff[0]!.id, email: 'ops@studio.test', name: 'Ops' };
    const tenant = await newTenant('bream-hall');
    const invited = await inviteFirstOwner(admin, ops, consoleAuth, { tenantId: tenant.id, email: 'monica@bream.test' });
    await su`update users set is_platform_admin = false where id = ${staff[0]!.id}`;
    const monica = await invitee('bream-hall', 'monica@bream.test');
    expect((await call('bream-hall', '/organization/accept-invitation', { cookie: monica, body: { invitationId: idOf(invited.link) } })).status).toBe(403);
    expect(await roleIn('bream-hall', 'monica@bream.test')).toBeNull();
  });
});

describe('the forms', () => {
  const form = (fields: Record<string, string>) => {
    const data = new FormData();
    for (const [key, value] of Object.entries(fields)) data.set(key, value);
    return data;
  };

  it("ask for the owner's address with the tenant, and say what is wrong with it on its field", () => {
    expect(parseNewTenant(form({ slug: 'hooli', name: 'Hooli', ownerEmail: ' Gavin@Hooli.test ' }))).toMatchObject({ ok: true, data: { ownerEmail: 'gavin@hooli.test' } });
    const missing = parseNewTenant(form({ slug: 'hooli', name: 'Hooli' }));
    expect(missing).toMatchObject({ ok: false, state: { fieldErrors: { ownerEmail: expect.stringMatching(/email address/) } } });
    const bad = parseOwnerInvite(form({ ownerEmail: 'gavin@hooli' }));
    expect(bad).toMatchObject({ ok: false, state: { fieldErrors: { ownerEmail: expect.stringMatching(/not an email address/) }, values: { ownerEmail: 'gavin@hooli' } } });
  });
});
