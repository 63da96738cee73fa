/**
 * Issue 19: `remove-member` with another tenant's membership id told whether it belonged to an
 * owner ("You cannot leave the organization as the only owner" against "Member not found");
 * `update-member-role` told whether it existed (403 against 400). Ids of 36 dashes reached
 * Postgres: a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeApiToken } from '../../src/index';
import { authWorld, type AuthWorld } from '../helpers';

let w: AuthWorld;
let owner: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  w = await authWorld();
  owner = await w.signIn('alice@acme.test');
  const rows = await w.owner<{ id: string; email: string; slug: string }[]>`
    select m.id, u.email, t.slug from memberships m join users u on u.id = m.user_id join tenants t on t.id = m.tenant_id`;
  for (const r of rows) ids[`${r.slug}:${r.email}`] = r.id;
}, 60_000);

afterAll(async () => {
  await w?.close();
});

async function answer(path: string, body: Record<string, unknown>) {
  const response = await w.call(path, { cookie: owner, body: { organizationId: w.ids.acme, ...body } });
  return { status: response.status, body: await response.text() };
}

describe("another tenant's membership", () => {
  it('is answered by remove-member exactly as an unknown id, owner or not', async () => {
    const unknown = await answer('/organization/remove-member', { memberIdOrEmail: '0b6c6f8e-1b7a-4c2e-9d55-7c8f9e0a1b2c' });
    const theirOwner = await answer('/organization/remove-member', { memberIdOrEmail: ids['globex:bob@globex.test']! });
    const theirAdmin = await answer('/organization/remove-member', { memberIdOrEmail: ids['globex:dave@example.test']! });
    const dashes = await answer('/organization/remove-member', { memberIdOrEmail: '-'.repeat(36) });
    expect(unknown.status).toBe(400);
    for (const other of [theirOwner, theirAdmin, dashes]) expect(other).toEqual(unknown);
    // And nothing was removed.
    const [bob] = await w.owner<{ n: number }[]>`select count(*)::int as n from memberships where id = ${ids['globex:bob@globex.test']!}`;
    expect(bob!.n).toBe(1);
  });

  it('is answered by update-member-role exactly as an unknown id', async () => {
    const unknown = await answer('/organization/update-member-role', { memberId: '0b6c6f8e-1b7a-4c2e-9d55-7c8f9e0a1b2c', role: 'member' });
    const theirs = await answer('/organization/update-member-role', { memberId: ids['globex:bob@globex.test']!, role: 'member' });
    const dashes = await answer('/organization/update-member-role', { memberId: '-'.repeat(36), role: 'member' });
    expect(unknown.status).toBe(400);
    expect(theirs).toEqual(unknown);
    expect(dashes).toEqual(unknown);
  });

  it('still lets the owner remove a member of their own tenant', async () => {
    const removed = await answer('/organization/remove-member', { memberIdOrEmail: ids['acme:dave@example.test']! });
    expect(removed.status).toBe(200);
  });
});

describe('malformed ids', () => {
  it('are a 400 from the auth endpoints, never a 500', async () => {
    const dashes = '-'.repeat(36);
    const accept = await w.call('/organization/accept-invitation', { cookie: owner, body: { invitationId: dashes } });
    expect(accept.status).toBe(400);
    expect(await accept.json()).toMatchObject({ code: 'INVALID_ID' });
    const get = await w.call(`/organization/get-invitation?id=${dashes}`, { cookie: owner });
    expect(get.status).toBe(400);
    const active = await w.call('/organization/set-active', { cookie: owner, body: { organizationId: dashes } });
    expect(active.status).toBe(400);
  });

  it('find nothing in the helpers the pages call', async () => {
    const dashes = '-'.repeat(36);
    expect(await w.auth.invitation(dashes)).toBeNull();
    expect(await revokeApiToken(await w.db.tenant(w.ids.acme), dashes)).toBe(false);
  });
});
