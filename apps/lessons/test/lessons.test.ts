/**
 * The lessons product's own rules, on a real database in guard-only mode, with the contexts
 * getTenantContext() gives a signed-in member: who sees which plan, who may change it, and that
 * every change writes its audit event (and a refused one writes none).
 */
import { auditEvents, lessonPlans } from '@studio/db-schema/schema';
import { seedDemo } from '@studio/db-schema/seed';
import { createTestDatabase, type TestDatabase } from '@studio/db-schema/testing';
import { createDatabase, type Database } from '@studio/tenancy';
import { type TenantRole } from '@studio/tenancy/request';
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLesson, deleteLesson, findLesson, listLessons, shareLesson, updateLesson, type LessonContext } from '../src/lessons';
import { permissions } from '../src/permissions';

let testDb: TestDatabase;
let db: Database;
let su: postgres.Sql;
const tenantIds: Record<string, string> = {};

beforeAll(async () => {
  testDb = await createTestDatabase();
  await seedDemo(testDb.urls.owner);
  db = createDatabase({ url: testDb.urls.app, mode: 'app', applicationName: 'lessons', tenantCache: { listen: false } });
  su = postgres(testDb.urls.migrate, { max: 1, onnotice: () => {} });
  for (const row of await su<{ id: string; slug: string }[]>`select id, slug from tenants`) tenantIds[row.slug] = row.id;
}, 60_000);

afterAll(async () => {
  await su?.end();
  await db?.close();
  await testDb?.drop();
});

/** What getTenantContext() gives `email` in tenant `slug` (as the proxy and auth would). */
async function as(email: string, slug: string): Promise<LessonContext & { userId: string }> {
  const [row] = await su<{ userId: string; role: TenantRole }[]>`
    select u.id as "userId", m.role from users u join memberships m on m.user_id = u.id
    where u.email = ${email} and m.tenant_id = ${tenantIds[slug]!}`;
  if (!row) throw new Error(`${email} is not a member of ${slug}`);
  const tdb = await db.tenant(tenantIds[slug]!, { actor: { userId: row.userId } });
  return { tenant: tdb.tenant, db: tdb, membership: { tenantId: tdb.tenantId, userId: row.userId, role: row.role }, permissions: permissions.of(row.role), userId: row.userId };
}

/** Plan ids of a tenant, read behind the app's back. */
async function planIds(slug: string, where: 'all' | 'shared' | 'private' = 'all'): Promise<string[]> {
  const rows = await su<{ id: string }[]>`
    select p.id from lesson_plans p where p.tenant_id = ${tenantIds[slug]!}
      and (${where} = 'all' or p.shared = (${where} = 'shared')) order by p.created_at, p.id`;
  return rows.map((r) => r.id);
}

async function eventsFor(ctx: LessonContext, target: string) {
  return ctx.db.select({ action: auditEvents.action, actorId: auditEvents.actorId, payload: auditEvents.payload }).from(auditEvents).where(eq(auditEvents.target, target));
}

const input = (title: string) => ({ title, subject: 'History', body: 'Primary sources.', shared: false });

describe('who sees which lesson plan', () => {
  it("lists a member's own plans and the tenant's shared ones, nothing of another tenant", async () => {
    const alice = await as('alice@acme.test', 'acme');
    const dave = await as('dave@example.test', 'acme');
    const shared = await planIds('acme', 'shared');
    // The seed: alice wrote all six of acme's plans and shared three.
    expect((await listLessons(alice)).map((p) => p.id).sort()).toEqual((await planIds('acme')).sort());
    expect((await listLessons(dave)).map((p) => p.id).sort()).toEqual([...shared].sort());
    const globex = new Set(await planIds('globex'));
    expect((await listLessons(await as('dave@example.test', 'globex'))).every((p) => globex.has(p.id))).toBe(true);
  });

  it("finds a plan by id only when this member may see it; anything else is null (a 404)", async () => {
    const alice = await as('alice@acme.test', 'acme');
    const dave = await as('dave@example.test', 'acme');
    const [alicePrivate] = await planIds('acme', 'private');
    const [aliceShared] = await planIds('acme', 'shared');
    const [globexPlan] = await planIds('globex');
    expect((await findLesson(alice, alicePrivate!))?.id).toBe(alicePrivate);
    expect((await findLesson(dave, aliceShared!))?.id).toBe(aliceShared);
    expect(await findLesson(dave, alicePrivate!)).toBeNull();
    expect(await findLesson(alice, globexPlan!)).toBeNull();
    expect(await findLesson(alice, 'not-a-uuid')).toBeNull();
    expect(await findLesson(alice, "00000000-0000-0000-0000-000000000000' or '1'='1")).toBeNull();
  });
});

describe('changing a lesson plan', () => {
  it('creates a plan by the member, with its audit event', async () => {
    const dave = await as('dave@example.test', 'acme');
    const id = await createLesson(dave, { title: 'The Romans', subject: 'History', body: 'Roads and aqueducts.', shared: false });
    const plan = await findLesson(dave, id);
    expect(plan).toMatchObject({ title: 'The Romans', authorId: dave.userId, shared: false });
    expect(await eventsFor(dave, id)).toEqual([{ action: 'lesson.create', actorId: dave.userId, payload: { title: 'The Romans', subject: 'History', shared: false } }]);
    // Private: not even the owner of the tenant sees it until it is shared.
    expect(await findLesson(await as('alice@acme.test', 'acme'), id)).toBeNull();
  });

  it('lets the author edit, recording which fields changed; an unchanged save records nothing', async () => {
    const dave = await as('dave@example.test', 'acme');
    const id = await createLesson(dave, input('Draft'));
    await expect(updateLesson(dave, id, { title: 'Final', subject: 'History', body: 'Primary sources.' })).resolves.toEqual({ ok: true, id });
    await expect(updateLesson(dave, id, { title: 'Final', subject: 'History', body: 'Primary sources.' })).resolves.toEqual({ ok: true, id });
    expect((await findLesson(dave, id))?.title).toBe('Final');
    const events = await eventsFor(dave, id);
    expect(events.map((e) => e.action).sort()).toEqual(['lesson.create', 'lesson.update']);
    expect(events.find((e) => e.action === 'lesson.update')?.payload).toEqual({ title: 'Final', subject: 'History', changed: ['title'] });
  });

  it("refuses a member who is not the author, and writes no audit event for it", async () => {
    const dave = await as('dave@example.test', 'acme');
    const [aliceShared] = await planIds('acme', 'shared');
    const before = await findLesson(dave, aliceShared!);
    await expect(updateLesson(dave, aliceShared!, { title: 'Mine now', subject: 'Art', body: '' })).resolves.toEqual({ ok: false, problem: 'forbidden' });
    await expect(shareLesson(dave, aliceShared!, false)).resolves.toEqual({ ok: false, problem: 'forbidden' });
    await expect(deleteLesson(dave, aliceShared!)).resolves.toEqual({ ok: false, problem: 'forbidden' });
    expect(await findLesson(dave, aliceShared!)).toEqual(before);
    expect(await eventsFor(dave, aliceShared!)).toEqual([]);
  });

  it("lets an owner or admin change a colleague's shared plan", async () => {
    const dave = await as('dave@example.test', 'acme');
    const alice = await as('alice@acme.test', 'acme');
    const id = await createLesson(dave, { ...input('Shared by Dave'), shared: true });
    await expect(updateLesson(alice, id, { title: 'Edited by Alice', subject: 'History', body: '' })).resolves.toEqual({ ok: true, id });
    const [event] = (await eventsFor(alice, id)).filter((e) => e.action === 'lesson.update');
    expect(event?.actorId).toBe(alice.userId);
    // In globex dave is an admin: there he may change bob's shared plans.
    const globexDave = await as('dave@example.test', 'globex');
    const [bobShared] = await planIds('globex', 'shared');
    await expect(updateLesson(globexDave, bobShared!, { title: 'Tidied', subject: 'Biology', body: '' })).resolves.toEqual({ ok: true, id: bobShared });
  });

  it('shares and unshares, each an audited change; sharing what is shared records nothing', async () => {
    const dave = await as('dave@example.test', 'acme');
    const alice = await as('alice@acme.test', 'acme');
    const id = await createLesson(dave, input('To share'));
    await expect(shareLesson(dave, id, true)).resolves.toEqual({ ok: true, id });
    await expect(shareLesson(dave, id, true)).resolves.toEqual({ ok: true, id });
    expect((await findLesson(alice, id))?.shared).toBe(true);
    expect((await listLessons(alice)).some((p) => p.id === id)).toBe(true);
    await shareLesson(dave, id, false);
    expect(await findLesson(alice, id)).toBeNull();
    const shares = (await eventsFor(dave, id)).filter((e) => e.action === 'lesson.share').map((e) => e.payload.shared);
    expect(shares.sort()).toEqual([false, true]);
  });

  it('deletes the plan with its audit event', async () => {
    const dave = await as('dave@example.test', 'acme');
    const id = await createLesson(dave, input('Short-lived'));
    await expect(deleteLesson(dave, id)).resolves.toEqual({ ok: true, id });
    expect(await findLesson(dave, id)).toBeNull();
    expect(await su`select 1 from lesson_plans where id = ${id}`).toHaveLength(0);
    const [event] = (await eventsFor(dave, id)).filter((e) => e.action === 'lesson.delete');
    expect(event).toEqual({ action: 'lesson.delete', actorId: dave.userId, payload: { title: 'Short-lived', subject: 'History' } });
    await expect(deleteLesson(dave, id)).resolves.toEqual({ ok: false, problem: 'not_found' });
  });

  it("answers not found for another tenant's plan, a colleague's private one and a made-up id, changing nothing", async () => {
    const alice = await as('alice@acme.test', 'acme');
    const dave = await as('dave@example.test', 'acme');
    // Private: no other test here touches it.
    const [globexPlan] = await planIds('globex', 'private');
    const [alicePrivate] = await planIds('acme', 'private');
    for (const id of [globexPlan!, 'not-a-uuid', '6f1c1d8e-0000-4000-8000-000000000000']) {
      await expect(updateLesson(alice, id, { title: 'x', subject: 'x', body: '' })).resolves.toEqual({ ok: false, problem: 'not_found' });
      await expect(shareLesson(alice, id, true)).resolves.toEqual({ ok: false, problem: 'not_found' });
      await expect(deleteLesson(alice, id)).resolves.toEqual({ ok: false, problem: 'not_found' });
    }
    await expect(deleteLesson(dave, alicePrivate!)).resolves.toEqual({ ok: false, problem: 'not_found' });
    expect(await su`select 1 from lesson_plans where id in (${globexPlan!}, ${alicePrivate!})`).toHaveLength(2);
    const [audited] = await su<{ n: number }[]>`select count(*)::int as n from audit_events where target in (${globexPlan!}, ${alicePrivate!})`;
    expect(audited?.n).toBe(0);
  });

  it('a context without a membership (an API token) may not write', async () => {
    const alice = await as('alice@acme.test', 'acme');
    await expect(createLesson({ ...alice, membership: null }, input('By a token'))).rejects.toMatchObject({ status: 403 });
    const rows = await alice.db.select({ id: lessonPlans.id }).from(lessonPlans).where(eq(lessonPlans.title, 'By a token'));
    expect(rows).toEqual([]);
  });
});
