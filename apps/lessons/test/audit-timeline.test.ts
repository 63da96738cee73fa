/**
 * The audit trail as a timeline in lessons (issue 23 items 4 and 5): the support person named
 * ("Support: <name> (<email>)", not "a former member"), the reason, the expiry and the mode in
 * the sentence; filtered by kind of event and by actor, the cursor kept; the open grant read back
 * for the banner through the app's guard-only client, never another tenant's.
 */
import { randomUUID } from 'node:crypto';
import { seedDemo } from '@studio/db-schema/seed';
import { createTestDatabase, type TestDatabase } from '@studio/db-schema/testing';
import { createDatabase, type Database, type TenantDb } from '@studio/tenancy';
import { audit, openSupportGrants, type MemberName } from '@studio/tenancy/audit';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditFilterParams, readAuditPage, timelineOf } from '../src/audit';

let testDb: TestDatabase;
let db: Database;
let initech: TenantDb;
let acme: TenantDb;
let members: MemberName[];
const supportId = randomUUID();
const grantId = randomUUID();
const expiresAt = new Date(Date.now() + 15 * 60_000);
const when = (d: Date) => d.toISOString();

beforeAll(async () => {
  testDb = await createTestDatabase();
  await seedDemo(testDb.urls.owner);
  db = createDatabase({ url: testDb.urls.app, mode: 'app', applicationName: 'lessons', tenantCache: { listen: false } });
  const tenants = await db.platform.listTenants();
  const initechId = tenants.find((t) => t.slug === 'initech')!.id;
  const su = postgres(testDb.urls.migrate, { max: 1, onnotice: () => {} });
  members = await su<MemberName[]>`select u.id as "userId", u.name, u.email from memberships m join users u on u.id = m.user_id where m.tenant_id = ${initechId}`;
  await su.end();
  initech = await db.tenant(initechId);
  acme = await db.tenant(tenants.find((t) => t.slug === 'acme')!.id);
  const asSupport = await db.tenant(initechId, { actor: { userId: supportId } });
  await audit(asSupport, { action: 'support_access.grant', target: grantId, payload: { grantId, adminName: 'Ann Admin', adminEmail: 'admin@studio.test', reason: 'Ticket 6201: a plan went missing', expiresAt: expiresAt.toISOString(), minutes: 15, allowWrites: false } });
  await audit(asSupport, { action: 'support_access.view', target: grantId, payload: { grantId, adminName: 'Ann Admin', adminEmail: 'admin@studio.test', reason: 'Ticket 6201: a plan went missing', viewing: 'lesson plans', expiresAt: expiresAt.toISOString(), allowWrites: false } });
  for (let i = 0; i < 30; i++) await audit(initech, { action: 'lesson.import', target: `plan-${i}`, payload: { title: `Plan ${i}` } });
}, 60_000);

afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

describe('the audit timeline of lessons', () => {
  it('names the support person, the reason, the expiry and read-only', async () => {
    const { page } = await readAuditPage(initech, undefined, auditFilterParams({ kind: 'support' }));
    const entries = await timelineOf(initech, page.events, members, when);
    expect(entries.map((e) => [e.actor.label, e.sentence])).toEqual([
      ['Support: Ann Admin (admin@studio.test)', 'looked at lesson plans under support access (read-only): Ticket 6201: a plan went missing'],
      ['Support: Ann Admin (admin@studio.test)', `opened support access (read-only) until ${expiresAt.toISOString()}: Ticket 6201: a plan went missing`],
    ]);
  });

  it('filters by kind and actor, and pages a filtered trail with its cursor', async () => {
    expect(auditFilterParams({ kind: 'lessons', actor: supportId })).toEqual({ kind: 'lessons', actor: supportId });
    expect(auditFilterParams({ kind: ['lessons', 'x'], actor: 'not-an-id' })).toEqual({ kind: '', actor: '' });
    const byAdmin = await readAuditPage(initech, undefined, { actor: supportId });
    expect(byAdmin.page.events.map((e) => e.action)).toEqual(['support_access.view', 'support_access.grant']);
    const first = await readAuditPage(initech, undefined, { kind: 'lessons' });
    expect(first.page.events).toHaveLength(25);
    const second = await readAuditPage(initech, first.page.nextCursor!, { kind: 'lessons' });
    expect(second.cursor).toBe(first.page.nextCursor);
    const targets = [...first.page.events, ...second.page.events].filter((e) => e.action === 'lesson.import').map((e) => e.target);
    expect(new Set(targets).size).toBe(30);
    const entries = await timelineOf(initech, first.page.events.slice(0, 1), members, when);
    expect(entries[0]).toMatchObject({ actor: { kind: 'system' }, sentence: 'imported the lesson plan "Plan 29"' });
  });

  it("reads the open grant for the banner, and never another tenant's", async () => {
    await expect(openSupportGrants(initech)).resolves.toMatchObject([{ grantId, adminName: 'Ann Admin', allowWrites: false, reason: 'Ticket 6201: a plan went missing' }]);
    await expect(openSupportGrants(acme)).resolves.toEqual([]);
    await expect(openSupportGrants(initech, { now: expiresAt })).resolves.toEqual([]);
  });
});
