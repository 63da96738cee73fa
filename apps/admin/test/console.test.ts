/**
 * The admin console's reads and forms against a real database: each cross-tenant read leaves a
 * platform event naming the admin and what was read; sizes are the real row counts; break-glass
 * access, wired as the console wires it, ends at its expiry.
 */
import { seedDemo } from '@studio/db-schema/seed';
import { createTestDatabase, type TestDatabase } from '@studio/db-schema/testing';
import { createDatabase, TenantReadOnlyError, type Database } from '@studio/tenancy';
import { type RequestSession } from '@studio/tenancy/request';
import { createAdminDatabase, createBreakGlass, type AdminDatabase, type BreakGlass } from '@studio/platform';
import { invoices } from '@studio/db-schema/schema';
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTenant, listMembers, listTenants, readActivity, readAuditTrail, TENANT_TABLES } from '../src/lib/console';
import { confirmsSlug, parseBreakGlass, parseNewTenant, parseStatus } from '../src/lib/forms';

let testDb: TestDatabase;
let su: postgres.Sql;
let admin: AdminDatabase;
let db: Database;
let breakGlass: BreakGlass;
let me: RequestSession;
const ids: Record<string, string> = {};

beforeAll(async () => {
  testDb = await createTestDatabase();
  await seedDemo(testDb.urls.owner);
  su = postgres(testDb.urls.migrate, { max: 1, onnotice: () => {} });
  for (const row of await su<{ id: string; slug: string }[]>`select id, slug from tenants`) ids[row.slug] = row.id;
  const [user] = await su<{ id: string }[]>`select id from users where email = 'admin@studio.test'`;
  me = { sessionId: 'test', userId: user!.id, email: 'admin@studio.test', name: 'Platform Admin', isPlatformAdmin: true, activeTenantId: null };
  // As src/db.ts makes them: the admin role for cross-tenant reads, the app role for tenants.
  admin = createAdminDatabase({ url: testDb.urls.admin });
  await admin.verify();
  db = createDatabase({ url: testDb.urls.app, mode: 'rls', tenantCache: { listen: false } });
  breakGlass = createBreakGlass({ admin, db });
}, 60_000);

afterAll(async () => {
  await db?.close();
  await admin?.close();
  await su?.end();
  await testDb?.drop();
});

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
};

async function lastEvent(action: string) {
  const [row] = await su<{ actor_id: string; tenant_id: string | null; tenant_slug: string | null; payload: Record<string, unknown> }[]>`
    select actor_id, tenant_id, tenant_slug, payload from platform_events where action = ${action} order by created_at desc, id desc limit 1`;
  return row;
}

describe('cross-tenant reads', () => {
  it('lists every tenant with its members and exact row counts, and records the read', async () => {
    const tenants = await listTenants(admin, me);
    expect(tenants.map((t) => t.slug)).toEqual(['acme', 'globex', 'initech']);
    const acme = tenants.find((t) => t.slug === 'acme')!;
    // alice (owner) and dave (member).
    expect(acme.members).toBe(2);
    for (const table of TENANT_TABLES) {
      const [counted] = await su.unsafe<{ n: number }[]>(`select count(*)::int as n from "${table}" where tenant_id = $1`, [acme.id]);
      expect(acme.rows[table], table).toBe(counted!.n);
    }
    expect(acme.rows.invoices).toBe(40);
    expect(acme.totalRows).toBe(Object.values(acme.rows).reduce((a, b) => a + b, 0));
    await expect(lastEvent('admin.read.tenants')).resolves.toMatchObject({ actor_id: me.userId, tenant_id: null, payload: { tenants: 3 } });
  });

  it("reads one tenant and its members, each read naming the tenant; the trail then shows them", async () => {
    const globex = await getTenant(admin, me, 'globex');
    expect(globex).toMatchObject({ slug: 'globex', members: 2, rows: { invoices: 25, customers: 8, lesson_plans: 4 } });
    await expect(lastEvent('admin.read.tenant')).resolves.toMatchObject({ tenant_id: ids.globex, tenant_slug: 'globex' });
    await expect(getTenant(admin, me, 'nobody-here')).resolves.toBeNull();

    const members = await listMembers(admin, me, { id: ids.acme!, slug: 'acme' });
    expect(members.map((m) => m.email).sort()).toEqual(['alice@acme.test', 'dave@example.test']);
    await expect(lastEvent('admin.read.members')).resolves.toMatchObject({ actor_id: me.userId, tenant_id: ids.acme, tenant_slug: 'acme', payload: { members: 2 } });

    const trail = await readAuditTrail(admin, me, { tenant: { id: ids.acme!, slug: 'acme' }, source: 'platform' });
    expect(trail.entries[0]).toMatchObject({ source: 'platform', action: 'admin.read.members', actorEmail: 'admin@studio.test', tenantSlug: 'acme' });
    // Reading the trail is a read too.
    await expect(lastEvent('admin.read.audit')).resolves.toMatchObject({ tenant_slug: 'acme', payload: { source: 'platform', page: 'newest' } });
  });

  it("reads the newest page for a cursor the trail did not give (the audit page's ?cursor=, edited by hand)", async () => {
    const newest = await readAuditTrail(admin, me, { source: 'platform', limit: 2 });
    expect(newest.cursor).toBeNull();
    expect(newest.nextCursor).not.toBeNull();
    const forged = Buffer.from(`1|x' or true --`).toString('base64url');
    for (const cursor of ['not-a-cursor', forged, `${newest.nextCursor}=`, [newest.nextCursor!, newest.nextCursor!]]) {
      const page = await readAuditTrail(admin, me, { source: 'tenant', limit: 2, cursor });
      expect(page.cursor).toBeNull();
      await expect(lastEvent('admin.read.audit')).resolves.toMatchObject({ payload: { source: 'tenant', page: 'newest' } });
    }
    const older = await readAuditTrail(admin, me, { source: 'platform', limit: 2, cursor: newest.nextCursor });
    expect(older.cursor).toBe(newest.nextCursor);
    await expect(lastEvent('admin.read.audit')).resolves.toMatchObject({ payload: { source: 'platform', page: 'older' } });
  });
});

describe("the home page's activity chart", () => {
  it('counts platform and tenant events per UTC day over the last 30 days, today last, and records the read', async () => {
    // Two tenant events 3 days ago and one 40 days ago (outside the window), written as the superuser.
    await su`insert into audit_events (tenant_id, action, target, payload, created_at)
      values (${ids.acme!}, 'test.old', 'x', '{}', now() - interval '40 days'),
             (${ids.acme!}, 'test.recent', 'x', '{}', now() - interval '3 days'),
             (${ids.globex!}, 'test.recent', 'x', '{}', now() - interval '3 days')`;
    const days = await readActivity(admin, me, 30);
    expect(days).toHaveLength(30);
    const today = new Date().toISOString().slice(0, 10);
    expect(days.at(-1)!.day).toBe(today);
    const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    expect(days.find((d) => d.day === threeDaysAgo)!.values.tenant).toBeGreaterThanOrEqual(2);
    expect(days.reduce((n, d) => n + d.values.tenant, 0)).toBe(
      Number((await su<{ n: number }[]>`select count(*)::int as n from audit_events where created_at >= ((now() at time zone 'utc')::date - 29)::timestamp at time zone 'utc'`)[0]!.n),
    );
    // Today's platform events include the reads of this file so far.
    expect(days.at(-1)!.values.platform).toBeGreaterThan(0);
    expect(await lastEvent('admin.read.activity')).toMatchObject({ actor_id: me.userId, tenant_id: null, payload: { days: 30 } });
  });
});

describe('support access as the console wires it', () => {
  it('shows globex read-only to the admin, and refuses it after the expiry', async () => {
    const parsed = parseBreakGlass(form({ reason: 'Ticket 4420: invoice totals look wrong', minutes: '30' }));
    expect(parsed.ok).toBe(true);
    const grant = await breakGlass.grant(me, { tenantId: ids.globex!, ...(parsed.ok ? parsed.data : { reason: '', minutes: 0, allowWrites: false }) });
    expect(grant.allowWrites).toBe(false);
    const { tdb } = await breakGlass.open(me, ids.globex!, { viewing: 'invoices' });
    expect(await tdb.select({ id: invoices.id }).from(invoices)).toHaveLength(25);
    await expect(tdb.update(invoices).set({ status: 'void' }).where(eq(invoices.number, 'GLOBEX-0001'))).rejects.toBeInstanceOf(TenantReadOnlyError);

    const [row] = await su<{ actor_id: string; payload: Record<string, unknown> }[]>`
      select actor_id, payload from audit_events where tenant_id = ${ids.globex!} and action = 'support_access.grant'`;
    expect(row).toMatchObject({ actor_id: me.userId, payload: { adminEmail: 'admin@studio.test', reason: 'Ticket 4420: invoice totals look wrong', allowWrites: false } });

    await su`update break_glass_grants set expires_at = created_at + interval '1 millisecond' where id = ${grant.id}`;
    await expect(breakGlass.open(me, ids.globex!, { viewing: 'invoices' })).rejects.toMatchObject({ code: 'BREAK_GLASS_REQUIRED' });
  });
});

describe('form validation (zod), field by field', () => {
  it("a suspension's confirmation: the slug typed again, nothing else", () => {
    expect(confirmsSlug(form({ confirm: 'acme' }), 'acme')).toBe(true);
    expect(confirmsSlug(form({ confirm: ' acme ' }), 'acme')).toBe(true);
    expect(confirmsSlug(form({ confirm: 'globex' }), 'acme')).toBe(false);
    expect(confirmsSlug(form({ confirm: 'ACME' }), 'acme')).toBe(false);
    expect(confirmsSlug(form({}), 'acme')).toBe(false);
  });

  it('a new tenant: slug rules, reserved names, a name', () => {
    const bad = parseNewTenant(form({ slug: 'a', name: '' }));
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.state.fieldErrors).toMatchObject({ slug: expect.stringMatching(/too short/), name: 'Give the tenant a name.' });
    const reserved = parseNewTenant(form({ slug: 'admin', name: 'Admin' }));
    expect(!reserved.ok && reserved.state.fieldErrors?.slug).toMatch(/reserved/);
    // Typed with capitals and spaces: taken as the slug it clearly means.
    expect(parseNewTenant(form({ slug: ' Hooli ', name: ' Hooli Inc. ', ownerEmail: 'gavin@hooli.test' }))).toMatchObject({
      ok: true,
      data: { slug: 'hooli', name: 'Hooli Inc.', ownerEmail: 'gavin@hooli.test' },
    });
  });

  it('support access: a real reason, a listed duration, writes only when ticked', () => {
    const bad = parseBreakGlass(form({ reason: 'look', minutes: '45' }));
    expect(!bad.ok && bad.state.fieldErrors).toMatchObject({ reason: expect.stringMatching(/at least 10 characters/), minutes: expect.stringMatching(/15, 30, 60/) });
    expect(!bad.ok && bad.state.values?.reason).toBe('look');
    expect(parseBreakGlass(form({ reason: 'Ticket 1: wrong totals', minutes: '60', allowWrites: 'on' }))).toMatchObject({ ok: true, data: { minutes: 60, allowWrites: true } });
    expect(parseBreakGlass(form({ reason: 'Ticket 1: wrong totals', minutes: '60' }))).toMatchObject({ ok: true, data: { allowWrites: false } });
  });

  it('a suspension needs a reason; a reactivation does not', () => {
    const bad = parseStatus(form({ status: 'suspended', reason: '' }));
    expect(!bad.ok && bad.state.fieldErrors?.reason).toMatch(/Say why/);
    expect(parseStatus(form({ status: 'active' }))).toMatchObject({ ok: true, data: { status: 'active' } });
  });
});
