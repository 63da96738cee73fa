/**
 * The contract, for the lessons product. Its table runs without RLS (`lesson_plans` is
 * `rls: false`) and the app connects in guard-only mode (`mode: 'app'`): the query guard and the
 * scoped client are the layer that keeps tenants apart. Every attack of the leak kit runs on its
 * table in that mode, and the tests below pin down what it means for lesson plans.
 */
import { lessonPlans } from '@studio/db-schema/schema';
import { seedDemo } from '@studio/db-schema/seed';
import { createTestDatabase, type TestDatabase } from '@studio/db-schema/testing';
import { createDatabase, TenantScopeError, UnsafeDatabaseRoleError, type Database } from '@studio/tenancy';
import { describeTenantIsolation } from '@studio/tenancy/testing';
import { eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let testDb: TestDatabase;
let db: Database;
let ids: Record<string, string>;

beforeAll(async () => {
  testDb = await createTestDatabase();
  await seedDemo(testDb.urls.owner);
  db = createDatabase({ url: testDb.urls.app, mode: 'app', applicationName: 'lessons', tenantCache: { listen: false } });
  const tenants = await db.platform.listTenants();
  ids = Object.fromEntries(tenants.map((t) => [t.slug, t.id]));
}, 60_000);

afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

describe('lesson plans keep tenants apart with the query guard alone', () => {
  it("one tenant's plans are invisible to another, by id too", async () => {
    const acme = await db.tenant(ids.acme!);
    const globex = await db.tenant(ids.globex!);
    expect(acme.mode).toBe('app');
    const mine = await acme.select({ id: lessonPlans.id, tenantId: lessonPlans.tenantId }).from(lessonPlans);
    expect(mine.length).toBe(6);
    expect(mine.every((row) => row.tenantId === ids.acme)).toBe(true);
    expect(await globex.select().from(lessonPlans).where(eq(lessonPlans.id, mine[0]!.id))).toEqual([]);
  });

  it("update and delete by another tenant's id change nothing", async () => {
    const acme = await db.tenant(ids.acme!);
    const globex = await db.tenant(ids.globex!);
    const [theirs] = await globex.select({ id: lessonPlans.id, title: lessonPlans.title }).from(lessonPlans).limit(1);
    expect(await acme.update(lessonPlans).set({ title: 'taken over' }).where(eq(lessonPlans.id, theirs!.id)).returning()).toEqual([]);
    expect(await acme.delete(lessonPlans).where(eq(lessonPlans.id, theirs!.id)).returning()).toEqual([]);
    const [after] = await globex.select({ title: lessonPlans.title }).from(lessonPlans).where(eq(lessonPlans.id, theirs!.id));
    expect(after?.title).toBe(theirs!.title);
  });

  it("an insert cannot carry another tenant's id", async () => {
    const acme = await db.tenant(ids.acme!);
    expect(() => acme.insert(lessonPlans).values({ tenantId: ids.globex!, title: 'planted', subject: 'Art' })).toThrow(TenantScopeError);
  });

  it('the guard refuses raw SQL on lesson_plans without the tenant filter', async () => {
    const acme = await db.tenant(ids.acme!);
    await expect(acme.execute(sql`select count(*) from lesson_plans`)).rejects.toBeInstanceOf(TenantScopeError);
    await expect(acme.execute(sql`delete from lesson_plans where shared`)).rejects.toBeInstanceOf(TenantScopeError);
    const [row] = await acme.execute<{ n: number }>(sql`select count(*)::int as n from lesson_plans where tenant_id = ${acme.tenantId}`);
    expect(row?.n).toBe(6);
  });

  it('Postgres itself does not refuse: as the app role, without a tenant, every tenant is readable (so the guard must stay)', async () => {
    // If lesson_plans ever gets RLS, this fails: then switch the app to mode 'rls' and drop this test.
    const app = postgres(testDb.urls.app, { max: 1, onnotice: () => {} });
    try {
      // Counted among the demo tenants only: the leak kit's describe adds tenants of its own to this database.
      const demo = [ids.acme!, ids.globex!, ids.initech!];
      const [row] = await app<{ tenants: number }[]>`select count(distinct tenant_id)::int as tenants from lesson_plans where tenant_id = any(${demo}::uuid[])`;
      expect(row?.tenants).toBe(3);
    } finally {
      await app.end();
    }
  });

  it('guard-only mode still refuses to run as a superuser (C5)', async () => {
    const unsafe = createDatabase({ url: testDb.urls.migrate, mode: 'app', tenantCache: { listen: false } });
    try {
      await expect(unsafe.tenant(ids.acme!)).rejects.toBeInstanceOf(UnsafeDatabaseRoleError);
    } finally {
      await unsafe.close();
    }
  });
});

// The leak test kit on this product's own table, in this app's mode: every attack of the matrix on
// lesson_plans, and the attacks on the platform (the package runs those in RLS mode only). The
// tenancy package runs the whole schema, once for all products.
describeTenantIsolation(() => ({ ownerUrl: testDb.urls.owner, appUrl: testDb.urls.app, mode: 'app' }), { tables: ['lesson_plans'] });
