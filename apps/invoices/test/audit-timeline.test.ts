/**
 * The audit trail as a timeline (issue 23 items 4 and 5): every actor a readable name (a member,
 * "Support: <name> (<email>)", a former member by the address the trail recorded), support rows
 * naming the reason, the expiry and the mode; filtered by kind of event and by actor as the URL
 * says, the cursor still followed; the open support grant read back for the banner through the
 * app's own client (RLS mode), never another tenant's.
 */
import { randomUUID } from 'node:crypto';
import { seedDemo } from '@studio/db-schema/seed';
import { createTestDatabase, type TestDatabase } from '@studio/db-schema/testing';
import { createDatabase, type Database, type TenantDb } from '@studio/tenancy';
import { audit, openSupportGrants, type MemberName } from '@studio/tenancy/audit';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorChoices, readAuditPage, timelineOf } from '../src/lib/audit';

let testDb: TestDatabase;
let db: Database;
let acme: TenantDb;
let globex: TenantDb;
let members: MemberName[];
const supportId = randomUUID();
const grantId = randomUUID();
const expiresAt = new Date(Date.now() + 30 * 60_000);
const when = (d: Date) => d.toISOString();

beforeAll(async () => {
  testDb = await createTestDatabase();
  await seedDemo(testDb.urls.owner);
  db = createDatabase({ url: testDb.urls.app, mode: 'rls', tenantCache: { listen: false } });
  const tenants = await db.platform.listTenants();
  const su = postgres(testDb.urls.migrate, { max: 1, onnotice: () => {} });
  members = await su<MemberName[]>`select u.id as "userId", u.name, u.email from memberships m join users u on u.id = m.user_id join tenants t on t.id = m.tenant_id where t.slug = 'acme'`;
  await su.end();
  const acmeId = tenants.find((t) => t.slug === 'acme')!.id;
  acme = await db.tenant(acmeId);
  globex = await db.tenant(tenants.find((t) => t.slug === 'globex')!.id);
  const alice = members.find((m) => m.email === 'alice@acme.test')!;
  // What break-glass writes in the tenant's trail (packages/platform/src/break-glass.ts), as the admin.
  const asSupport = await db.tenant(acmeId, { actor: { userId: supportId } });
  await audit(asSupport, { action: 'support_access.grant', target: grantId, payload: { grantId, adminName: 'Ann Admin', adminEmail: 'admin@studio.test', reason: 'Ticket 6101: totals look wrong', expiresAt: expiresAt.toISOString(), minutes: 30, allowWrites: true } });
  await audit(asSupport, { action: 'invoice.status_change', target: 'ACME-0001', payload: { to: 'void', via: 'support_access', grantId } });
  await audit(await db.tenant(acmeId, { actor: { userId: alice.userId } }), { action: 'customer.update', target: randomUUID(), payload: { name: 'Initrode' } });
}, 60_000);

afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

describe('the audit timeline of invoices', () => {
  it('names every actor and says what happened', async () => {
    const { page } = await readAuditPage(acme, {});
    const entries = await timelineOf(acme, page.events, members, 'en-US', when);
    expect(entries.slice(0, 3).map((e) => [e.actor.label, e.sentence])).toEqual([
      ['Alice Acme <alice@acme.test>', 'edited the customer Initrode'],
      ['Support: Ann Admin (admin@studio.test)', 'set invoice ACME-0001 to void under support access'],
      ['Support: Ann Admin (admin@studio.test)', `opened support access (with writes) until ${expiresAt.toISOString()}: Ticket 6101: totals look wrong`],
    ]);
    expect(entries[1]!.support).toBe(true);
  });

  it('filters by kind of event and by actor, from the URL, and keeps the cursor working', async () => {
    const support = await readAuditPage(acme, { kind: 'support' });
    expect(support.kind).toBe('support');
    expect(support.page.events.map((e) => e.action)).toEqual(['support_access.grant']);
    const byAdmin = await readAuditPage(acme, { actor: supportId });
    expect(byAdmin.page.events.map((e) => e.action)).toEqual(['invoice.status_change', 'support_access.grant']);
    // What is not a kind or a user id is ignored, not an error.
    const junk = await readAuditPage(acme, { kind: 'nope', actor: "x' or 1=1" });
    expect([junk.kind, junk.actor]).toEqual(['', '']);
    // Pages of a filtered trail: the seed's invoice events, 50 at a time.
    const first = await readAuditPage(acme, { kind: 'invoices' });
    expect(first.page.events.every((e) => e.action.startsWith('invoice.'))).toBe(true);
    if (first.page.nextCursor) {
      const next = await readAuditPage(acme, { kind: 'invoices', after: first.page.nextCursor });
      expect(next.page.events.map((e) => e.id)).not.toContain(first.page.events[0]!.id);
    }
    const actors = await actorChoices(acme, members);
    expect(actors.at(-1)).toEqual({ id: supportId, label: 'Support: Ann Admin (admin@studio.test)' });
  });

  it("reads the open grant for the banner, and never another tenant's", async () => {
    await expect(openSupportGrants(acme)).resolves.toMatchObject([{ grantId, adminName: 'Ann Admin', adminEmail: 'admin@studio.test', reason: 'Ticket 6101: totals look wrong', allowWrites: true, expiresAt }]);
    await expect(openSupportGrants(globex)).resolves.toEqual([]);
    await expect(openSupportGrants(acme, { now: new Date(expiresAt.getTime() + 1) })).resolves.toEqual([]);
    const { page } = await readAuditPage(globex, { kind: 'support' });
    expect(page.events).toEqual([]);
  });
});
