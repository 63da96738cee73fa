/**
 * Issue 19, "invitations prove the invitee":
 * - a member with an exported admin invitation id signed up as the invitee's address (nothing
 *   verified it), accepted, and held the admin role; the real invitee could no longer sign up;
 * - an admin invited a second address of their own as admin, was removed by the owner, then
 *   accepted and was admin again;
 * - the owner's members page never listed pending invitations.
 */
import { auditTrail } from '@studio/tenancy/audit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authWorld, cookieFrom, type AuthWorld } from '../helpers';

let w: AuthWorld;
let owner: string;
let bossInvitation: string;

beforeAll(async () => {
  w = await authWorld();
  owner = await w.signIn('alice@acme.test');
}, 60_000);

afterAll(async () => {
  await w?.close();
});

const invitationIdIn = (email: string) => /\/invite\/([0-9a-f-]{36})$/.exec(w.mailer.lastTo(email)?.link ?? '')?.[1];

async function invite(cookie: string, email: string, role: 'member' | 'admin'): Promise<string> {
  const response = await w.call('/organization/invite-member', { cookie, body: { email, role, organizationId: w.ids.acme } });
  expect(response.status, await response.clone().text()).toBe(200);
  return invitationIdIn(email)!;
}

async function roleIn(email: string): Promise<string | null> {
  const [row] = await w.owner<{ role: string }[]>`
    select m.role from memberships m join users u on u.id = m.user_id where u.email = ${email} and m.tenant_id = ${w.ids.acme}`;
  return row?.role ?? null;
}

/** Follows the newest link mailed to `email` (a verification or claim link) as a browser would; returns the cookie it sets. */
async function follow(email: string): Promise<{ status: number; cookie: string; location: string | null }> {
  const link = w.mailer.lastTo(email)?.link;
  expect(link, `no link mailed to ${email}`).toBeTruthy();
  const url = new URL(link!);
  const response = await w.call(url.pathname.replace(/^\/api\/auth/, '') + url.search);
  return { status: response.status, cookie: cookieFrom(response), location: response.headers.get('location') };
}

/** Signs up, follows the verification link mailed, and signs in: a person who owns the address. */
async function verifiedUser(email: string, password: string): Promise<string> {
  const signUp = await w.call('/sign-up/email', { body: { email, password, name: email.split('@')[0] } });
  expect(signUp.status).toBe(200);
  expect(w.mailer.lastTo(email)?.subject).toMatch(/confirm/i);
  await follow(email);
  return w.signIn(email, password);
}

describe('accepting an invitation', () => {
  it('needs the address verified: a member who knows an admin invitation id cannot take it', async () => {
    const id = (bossInvitation = await invite(owner, 'boss@partner.test', 'admin'));
    // Dave (a plain member of acme) learnt the id, signs up as the invitee and signs in.
    const signUp = await w.call('/sign-up/email', { body: { email: 'boss@partner.test', password: 'dave is the boss now', name: 'Boss' } });
    expect(signUp.status).toBe(200);
    const squatter = await w.signIn('boss@partner.test', 'dave is the boss now');
    const accept = await w.call('/organization/accept-invitation', { cookie: squatter, body: { invitationId: id } });
    expect(accept.status).toBe(403);
    expect(await accept.text()).toMatch(/verif/i);
    expect(await roleIn('boss@partner.test')).toBeNull();
    // Nor can the squatter read the invitation, or list the ones sent to that address.
    expect((await w.call(`/organization/get-invitation?id=${id}`, { cookie: squatter })).status).toBe(403);
    expect((await w.call('/organization/list-user-invitations', { cookie: squatter })).status).toBe(403);
    // Asking for another link needs the session of that address (so nobody mails links around).
    expect((await w.call('/send-verification-email', { body: { email: 'boss@partner.test' } })).status).toBe(401);
  });

  it('lets the real invitee claim an address someone signed up with first, and accept', async () => {
    const id = bossInvitation;
    const squatter = await w.signIn('boss@partner.test', 'dave is the boss now');
    // The real invitee signs up: the answer is the usual one, and the mail holds a link to claim the address.
    const signUp = await w.call('/sign-up/email', { body: { email: 'boss@partner.test', password: 'the real boss password', name: 'Real Boss' } });
    expect(signUp.status).toBe(200);
    const mail = w.mailer.lastTo('boss@partner.test')!;
    expect(mail.subject).toMatch(/claim|confirm/i);
    const claim = await follow('boss@partner.test');
    expect(claim.status).toBe(302);
    const token = new URL(claim.location!, 'http://acme.localhost:3001').searchParams.get('token');
    expect(token).toBeTruthy();
    const reset = await w.call('/reset-password', { body: { token, newPassword: 'the real boss password' } });
    expect(reset.status, await reset.clone().text()).toBe(200);
    // The squatter's password and session are gone; the owner of the mailbox signs in, verified.
    expect((await w.call('/sign-in/email', { body: { email: 'boss@partner.test', password: 'dave is the boss now' } })).status).toBe(401);
    expect(await w.auth.identity.session(new Headers({ cookie: squatter }))).toBeNull();
    const boss = await w.signIn('boss@partner.test', 'the real boss password');
    const accept = await w.call('/organization/accept-invitation', { cookie: boss, body: { invitationId: id } });
    expect(accept.status, await accept.clone().text()).toBe(200);
    expect(await roleIn('boss@partner.test')).toBe('admin');
  });

  it('works for a newcomer who follows the verification link', async () => {
    const id = await invite(owner, 'newbie@partner.test', 'member');
    const cookie = await verifiedUser('newbie@partner.test', 'newbie password');
    const accept = await w.call('/organization/accept-invitation', { cookie, body: { invitationId: id } });
    expect(accept.status, await accept.clone().text()).toBe(200);
    expect(await roleIn('newbie@partner.test')).toBe('member');
  });
});

describe("an inviter's invitations", () => {
  it('end when the inviter is removed: an admin cannot come back through an invitation to themselves', async () => {
    const first = await invite(owner, 'sly@partner.test', 'admin');
    const sly = await verifiedUser('sly@partner.test', 'sly password 1');
    const joined = await w.call('/organization/accept-invitation', { cookie: sly, body: { invitationId: first } });
    expect(joined.status).toBe(200);
    // Sly, an admin now, invites a second address of theirs as admin.
    const second = await invite(sly, 'sly-too@partner.test', 'admin');
    const [member] = await w.owner<{ id: string }[]>`
      select m.id from memberships m join users u on u.id = m.user_id where u.email = 'sly@partner.test' and m.tenant_id = ${w.ids.acme}`;
    const removed = await w.call('/organization/remove-member', { cookie: owner, body: { memberIdOrEmail: member!.id, organizationId: w.ids.acme } });
    expect(removed.status).toBe(200);
    const alt = await verifiedUser('sly-too@partner.test', 'sly password 2');
    const accept = await w.call('/organization/accept-invitation', { cookie: alt, body: { invitationId: second } });
    expect(accept.status).toBeGreaterThanOrEqual(400);
    expect(await roleIn('sly-too@partner.test')).toBeNull();
    expect(await w.auth.pendingInvitations(w.ids.acme)).not.toContainEqual(expect.objectContaining({ email: 'sly-too@partner.test' }));
  });

  it('end when the inviter is lowered to a role that cannot invite', async () => {
    const first = await invite(owner, 'ned@partner.test', 'admin');
    const ned = await verifiedUser('ned@partner.test', 'ned password 1');
    expect((await w.call('/organization/accept-invitation', { cookie: ned, body: { invitationId: first } })).status).toBe(200);
    const second = await invite(ned, 'ned-too@partner.test', 'member');
    const [member] = await w.owner<{ id: string }[]>`
      select m.id from memberships m join users u on u.id = m.user_id where u.email = 'ned@partner.test' and m.tenant_id = ${w.ids.acme}`;
    const lowered = await w.call('/organization/update-member-role', { cookie: owner, body: { memberId: member!.id, role: 'member', organizationId: w.ids.acme } });
    expect(lowered.status).toBe(200);
    const alt = await verifiedUser('ned-too@partner.test', 'ned password 2');
    expect((await w.call('/organization/accept-invitation', { cookie: alt, body: { invitationId: second } })).status).toBeGreaterThanOrEqual(400);
    expect(await roleIn('ned-too@partner.test')).toBeNull();
  });

  it('are refused at acceptance when the inviter lost the right by another way (a direct change)', async () => {
    const first = await invite(owner, 'ida@partner.test', 'admin');
    const ida = await verifiedUser('ida@partner.test', 'ida password 1');
    expect((await w.call('/organization/accept-invitation', { cookie: ida, body: { invitationId: first } })).status).toBe(200);
    const second = await invite(ida, 'ida-too@partner.test', 'member');
    // No hook ran: the role changed under the auth library (an operator, a console).
    await w.owner`update memberships set role = 'member' from users u where u.id = memberships.user_id and u.email = 'ida@partner.test' and memberships.tenant_id = ${w.ids.acme}`;
    const alt = await verifiedUser('ida-too@partner.test', 'ida password 2');
    expect((await w.call('/organization/accept-invitation', { cookie: alt, body: { invitationId: second } })).status).toBeGreaterThanOrEqual(400);
    expect(await roleIn('ida-too@partner.test')).toBeNull();
  });
});

describe('pending invitations', () => {
  it('are listed for the members page, with who sent them, and never with their ids', async () => {
    const id = await invite(owner, 'listed@partner.test', 'member');
    const pending = await w.auth.pendingInvitations(w.ids.acme);
    const listed = pending.find((p) => p.email === 'listed@partner.test');
    expect(listed).toMatchObject({ email: 'listed@partner.test', role: 'member', invitedBy: 'alice@acme.test' });
    expect(JSON.stringify(pending)).not.toContain(id);
    expect(await w.auth.pendingInvitations(w.ids.globex)).not.toContainEqual(expect.objectContaining({ email: 'listed@partner.test' }));
  });

  it('are replaced when the address is invited again: one pending invitation, the new role, the old link dead', async () => {
    const first = await invite(owner, 'twice@partner.test', 'admin');
    const second = await invite(owner, 'twice@partner.test', 'member');
    expect(second).not.toBe(first);
    const pending = (await w.auth.pendingInvitations(w.ids.acme)).filter((p) => p.email === 'twice@partner.test');
    expect(pending).toEqual([expect.objectContaining({ role: 'member' })]);
    expect(await w.auth.invitation(first)).toMatchObject({ status: 'canceled' });
  });

  it('can be resent (the same link, a new expiry) and revoked by whoever manages members', async () => {
    const id = await invite(owner, 'again@partner.test', 'member');
    const before = (await w.auth.invitation(id))!.expiresAt;
    const sent = w.mailer.outbox.length;
    await new Promise((r) => setTimeout(r, 20));
    await w.auth.resendInvitation(new Headers({ cookie: owner, origin: 'http://acme.localhost:3001' }), w.ids.acme, 'again@partner.test');
    expect(w.mailer.outbox.length).toBe(sent + 1);
    expect(invitationIdIn('again@partner.test')).toBe(id);
    expect((await w.auth.invitation(id))!.expiresAt.getTime()).toBeGreaterThan(before.getTime());
    await w.auth.revokeInvitation(new Headers({ cookie: owner, origin: 'http://acme.localhost:3001' }), w.ids.acme, 'again@partner.test');
    expect(await w.auth.invitation(id)).toMatchObject({ status: 'canceled' });
    // A plain member can do neither.
    const dave = await w.signIn('dave@example.test');
    const other = await invite(owner, 'third@partner.test', 'member');
    await expect(w.auth.revokeInvitation(new Headers({ cookie: dave, origin: 'http://acme.localhost:3001' }), w.ids.acme, 'third@partner.test')).rejects.toThrow();
    expect(await w.auth.invitation(other)).toMatchObject({ status: 'pending' });
  });

  it("never reach a plain member through the auth library's endpoints", async () => {
    const id = await invite(owner, 'hidden@partner.test', 'admin');
    const dave = await w.signIn('dave@example.test');
    const list = await w.call(`/organization/list-invitations?organizationId=${w.ids.acme}`, { cookie: dave });
    expect(await list.text()).not.toContain(id);
    const full = await w.call(`/organization/get-full-organization?organizationId=${w.ids.acme}`, { cookie: dave });
    expect(await full.text()).not.toContain(id);
  });

  it('keep their ids out of the audit trail', async () => {
    const id = await invite(owner, 'audited@partner.test', 'member');
    const trail = await auditTrail(await w.db.tenant(w.ids.acme), { limit: 1000 });
    expect(trail.events.some((e) => (e.payload as { email?: string }).email === 'audited@partner.test')).toBe(true);
    expect(JSON.stringify(trail.events)).not.toContain(id);
  });
});
