/**
 * The members page's changes (issue 23 item 3), through Better Auth as the signed-in caller: who
 * may change a role or remove someone, the last owner kept, another tenant's member answered as an
 * unknown one, and a revoked invitation that can no longer be accepted.
 */
import { auditTrail } from '@studio/tenancy/audit';
import type { Membership } from '@studio/tenancy/request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowedChanges, changeMemberRole, listTenantMembers, removeTenantMember } from '../src/members';
import { authWorld, cookieFrom, ORIGIN, type AuthWorld } from './helpers';

let w: AuthWorld;
const headers: Record<string, Headers> = {};
const userIds: Record<string, string> = {};

beforeAll(async () => {
  w = await authWorld();
  for (const row of await w.owner<{ id: string; email: string }[]>`select id, email from users`) userIds[row.email] = row.id;
  // carol (owner of initech) is also a plain member of acme here.
  await w.owner`insert into memberships (tenant_id, user_id, role) values (${w.ids.acme}, ${userIds['carol@initech.test']!}, 'member')`;
  for (const email of ['alice@acme.test', 'dave@example.test', 'bob@globex.test', 'carol@initech.test']) {
    headers[email] = new Headers({ cookie: await w.signIn(email), origin: ORIGIN });
  }
}, 60_000);

afterAll(async () => {
  await w?.close();
});

async function roleIn(email: string, tenant: 'acme' | 'globex' = 'acme'): Promise<string | null> {
  const [row] = await w.owner<{ role: string }[]>`
    select m.role from memberships m join users u on u.id = m.user_id where u.email = ${email} and m.tenant_id = ${w.ids[tenant]}`;
  return row?.role ?? null;
}

async function memberId(email: string, tenant: 'acme' | 'globex' = 'acme'): Promise<string> {
  const [row] = await w.owner<{ id: string }[]>`
    select m.id from memberships m join users u on u.id = m.user_id where u.email = ${email} and m.tenant_id = ${w.ids[tenant]}`;
  return row!.id;
}

/** The caller's membership as the request context reads it (from the database, never the client). */
async function actor(email: string, tenant: 'acme' | 'globex' = 'acme'): Promise<Membership> {
  return { tenantId: w.ids[tenant], userId: userIds[email]!, role: (await roleIn(email, tenant)) as Membership['role'] };
}

describe('the members of a tenant', () => {
  it('are listed with their membership id, role and when they joined, and nobody of another tenant', async () => {
    const members = await listTenantMembers(w.auth, headers['alice@acme.test']!, w.ids.acme);
    expect(members.map((m) => [m.email, m.role])).toEqual([
      ['alice@acme.test', 'owner'],
      ['dave@example.test', 'member'],
      ['carol@initech.test', 'member'],
    ]);
    expect(members[0]).toMatchObject({ id: await memberId('alice@acme.test'), name: 'Alice Acme', joinedAt: expect.any(Date) });
    expect(members.map((m) => m.email)).not.toContain('bob@globex.test');
  });

  it('tell the page what the caller may do: an owner anything but demote or remove the only owner, a member nothing', async () => {
    const members = await listTenantMembers(w.auth, headers['alice@acme.test']!, w.ids.acme);
    const alice = members.find((m) => m.email === 'alice@acme.test')!;
    const dave = members.find((m) => m.email === 'dave@example.test')!;
    expect(allowedChanges(await actor('alice@acme.test'), alice, members)).toEqual({ roles: [], remove: false });
    expect(allowedChanges(await actor('alice@acme.test'), dave, members)).toEqual({ roles: ['admin', 'owner'], remove: true });
    expect(allowedChanges(await actor('carol@initech.test'), dave, members)).toEqual({ roles: [], remove: false });
  });
});

describe('changing a role', () => {
  it('is refused to a plain member, even when the library is asked directly', async () => {
    await expect(changeMemberRole(w.auth, headers['carol@initech.test']!, await actor('carol@initech.test'), await memberId('dave@example.test'), 'admin')).rejects.toMatchObject({
      code: 'MEMBER_CHANGE_REFUSED',
    });
    // The role the client claims does not count: the library checks the session's own membership.
    const forged = { ...(await actor('carol@initech.test')), role: 'owner' as const };
    await expect(changeMemberRole(w.auth, headers['carol@initech.test']!, forged, await memberId('dave@example.test'), 'admin')).rejects.toThrow();
    expect(await roleIn('dave@example.test')).toBe('member');
  });

  it('lets the owner make an admin, audited with who acted', async () => {
    const changed = await changeMemberRole(w.auth, headers['alice@acme.test']!, await actor('alice@acme.test'), await memberId('dave@example.test'), 'admin');
    expect(changed).toMatchObject({ from: 'member', to: 'admin' });
    expect(await roleIn('dave@example.test')).toBe('admin');
    const trail = await auditTrail(await w.db.tenant(w.ids.acme), { target: await memberId('dave@example.test') });
    expect(trail.events[0]).toMatchObject({ action: 'member.role_change', actorId: userIds['alice@acme.test'], payload: { from: 'member', to: 'admin' } });
  });

  it('lets an admin move members between member and admin, never to or from owner', async () => {
    const dave = await actor('dave@example.test');
    expect(dave.role).toBe('admin');
    await changeMemberRole(w.auth, headers['dave@example.test']!, dave, await memberId('carol@initech.test'), 'admin');
    expect(await roleIn('carol@initech.test')).toBe('admin');
    await changeMemberRole(w.auth, headers['dave@example.test']!, dave, await memberId('carol@initech.test'), 'member');
    expect(await roleIn('carol@initech.test')).toBe('member');
    for (const [email, role] of [
      ['carol@initech.test', 'owner'],
      ['dave@example.test', 'owner'],
      ['alice@acme.test', 'admin'],
    ] as const) {
      await expect(changeMemberRole(w.auth, headers['dave@example.test']!, dave, await memberId(email), role), `${email} -> ${role}`).rejects.toMatchObject({ code: 'MEMBER_CHANGE_REFUSED' });
    }
    expect(await roleIn('alice@acme.test')).toBe('owner');
    expect(await roleIn('dave@example.test')).toBe('admin');
  });

  it('never leaves the tenant without an owner', async () => {
    const alice = await actor('alice@acme.test');
    await expect(changeMemberRole(w.auth, headers['alice@acme.test']!, alice, await memberId('alice@acme.test'), 'admin')).rejects.toMatchObject({
      code: 'MEMBER_CHANGE_REFUSED',
      message: expect.stringContaining('only owner'),
    });
    expect(await roleIn('alice@acme.test')).toBe('owner');
    // With a second owner, the first may step down.
    await changeMemberRole(w.auth, headers['alice@acme.test']!, alice, await memberId('carol@initech.test'), 'owner');
    expect(await roleIn('carol@initech.test')).toBe('owner');
    await changeMemberRole(w.auth, headers['carol@initech.test']!, await actor('carol@initech.test'), await memberId('carol@initech.test'), 'member');
    expect(await roleIn('carol@initech.test')).toBe('member');
  });

  it('answers a member of another tenant as an unknown one, and refuses made-up roles', async () => {
    const alice = await actor('alice@acme.test');
    for (const id of [await memberId('bob@globex.test', 'globex'), await memberId('dave@example.test', 'globex'), '0b6c6f8e-1b7a-4c2e-9d55-7c8f9e0a1b2c', 'x']) {
      await expect(changeMemberRole(w.auth, headers['alice@acme.test']!, alice, id, 'member'), id).rejects.toMatchObject({ code: 'MEMBER_NOT_FOUND' });
      await expect(removeTenantMember(w.auth, headers['alice@acme.test']!, alice, id), id).rejects.toMatchObject({ code: 'MEMBER_NOT_FOUND' });
    }
    // globex's owner cannot reach acme's members through their own tenant either.
    const bob = await actor('bob@globex.test', 'globex');
    await expect(changeMemberRole(w.auth, headers['bob@globex.test']!, bob, await memberId('dave@example.test'), 'member')).rejects.toMatchObject({ code: 'MEMBER_NOT_FOUND' });
    await expect(removeTenantMember(w.auth, headers['bob@globex.test']!, bob, await memberId('dave@example.test'))).rejects.toMatchObject({ code: 'MEMBER_NOT_FOUND' });
    expect(await roleIn('dave@example.test', 'globex')).toBe('admin');
    await expect(changeMemberRole(w.auth, headers['alice@acme.test']!, alice, await memberId('dave@example.test'), 'superuser')).rejects.toMatchObject({ code: 'MEMBER_ROLE_INVALID' });
  });
});

describe('removing a member', () => {
  it('keeps the only owner and oneself, and owners out of an admin’s reach', async () => {
    const dave = await actor('dave@example.test');
    await expect(removeTenantMember(w.auth, headers['dave@example.test']!, dave, await memberId('alice@acme.test'))).rejects.toMatchObject({ code: 'MEMBER_CHANGE_REFUSED' });
    await expect(removeTenantMember(w.auth, headers['dave@example.test']!, dave, await memberId('dave@example.test'))).rejects.toMatchObject({ code: 'MEMBER_CHANGE_REFUSED' });
    const alice = await actor('alice@acme.test');
    await expect(removeTenantMember(w.auth, headers['alice@acme.test']!, alice, await memberId('alice@acme.test'))).rejects.toMatchObject({ code: 'MEMBER_CHANGE_REFUSED' });
    expect(await roleIn('alice@acme.test')).toBe('owner');
  });

  it('removes a member, audited, and a plain member cannot', async () => {
    const carol = await actor('carol@initech.test');
    await expect(removeTenantMember(w.auth, headers['carol@initech.test']!, carol, await memberId('dave@example.test'))).rejects.toMatchObject({ code: 'MEMBER_CHANGE_REFUSED' });
    const id = await memberId('carol@initech.test');
    const removed = await removeTenantMember(w.auth, headers['dave@example.test']!, await actor('dave@example.test'), id);
    expect(removed.email).toBe('carol@initech.test');
    expect(await roleIn('carol@initech.test')).toBeNull();
    const trail = await auditTrail(await w.db.tenant(w.ids.acme), { target: id });
    expect(trail.events[0]).toMatchObject({ action: 'member.remove', actorId: userIds['dave@example.test'] });
  });
});

describe('a revoked invitation', () => {
  it('cannot be accepted, even by the invited address proved', async () => {
    const owner = headers['alice@acme.test']!;
    const invited = await w.call('/organization/invite-member', { cookie: owner.get('cookie')!, body: { email: 'late@partner.test', role: 'member', organizationId: w.ids.acme } });
    expect(invited.status).toBe(200);
    const id = /\/invite\/([0-9a-f-]{36})$/.exec(w.mailer.lastTo('late@partner.test')!.link!)![1]!;
    await w.auth.revokeInvitation(owner, w.ids.acme, 'late@partner.test');
    expect(await w.auth.pendingInvitations(w.ids.acme)).not.toContainEqual(expect.objectContaining({ email: 'late@partner.test' }));
    // The invitee signs up and proves the address, then follows the old link.
    expect((await w.call('/sign-up/email', { body: { email: 'late@partner.test', password: 'late password 1', name: 'Late' } })).status).toBe(200);
    const confirm = new URL(w.mailer.lastTo('late@partner.test')!.link!);
    const verified = await w.call(`/verify-email${confirm.search}`);
    const cookie = cookieFrom(verified) || (await w.signIn('late@partner.test', 'late password 1'));
    const accept = await w.call('/organization/accept-invitation', { cookie, body: { invitationId: id } });
    expect(accept.status).toBeGreaterThanOrEqual(400);
    expect(accept.status).toBeLessThan(500);
    expect(await roleIn('late@partner.test')).toBeNull();
    // Revoking it again is an unknown invitation, not a crash.
    await expect(w.auth.revokeInvitation(owner, w.ids.acme, 'late@partner.test')).rejects.toMatchObject({ code: 'INVITATION_NOT_FOUND' });
  });
});
