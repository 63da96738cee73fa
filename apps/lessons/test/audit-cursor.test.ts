/**
 * The audit page's cursor (`?cursor=`), as every list of the apps reads one: a link edited by
 * hand, cut short or repeated shows the first page (it used to be a 404); a cursor the trail gave
 * is followed.
 */
import { randomUUID } from 'node:crypto';
import { seedDemo } from '@studio/db-schema/seed';
import { createTestDatabase, type TestDatabase } from '@studio/db-schema/testing';
import { createDatabase, type Database, type TenantDb } from '@studio/tenancy';
import { audit, encodeEventCursor } from '@studio/tenancy/audit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAuditPage } from '../src/audit';

let testDb: TestDatabase;
let db: Database;
let initech: TenantDb;

beforeAll(async () => {
  testDb = await createTestDatabase();
  await seedDemo(testDb.urls.owner);
  db = createDatabase({ url: testDb.urls.app, mode: 'app', applicationName: 'lessons', tenantCache: { listen: false } });
  const tenants = await db.platform.listTenants();
  initech = await db.tenant(tenants.find((t) => t.slug === 'initech')!.id);
  for (let i = 0; i < 30; i++) await audit(initech, { action: 'cursor.test', target: `plan-${i}` });
}, 60_000);

afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

describe('the audit page of lessons', () => {
  it('shows the first page for a cursor it did not give', async () => {
    const first = await readAuditPage(initech, undefined);
    expect(first.cursor).toBeNull();
    expect(first.page.events).toHaveLength(25);
    const forged = Buffer.from(`1|x' or true --`).toString('base64url');
    for (const cursor of ['not-a-cursor', forged, `${first.page.nextCursor}=`, [first.page.nextCursor!, first.page.nextCursor!]]) {
      const page = await readAuditPage(initech, cursor);
      expect(page.cursor).toBeNull();
      expect(page.page.events.map((e) => e.id)).toEqual(first.page.events.map((e) => e.id));
    }
  });

  it('follows a cursor the trail gave', async () => {
    const first = await readAuditPage(initech, undefined);
    const older = await readAuditPage(initech, first.page.nextCursor!);
    expect(older.cursor).toBe(first.page.nextCursor);
    expect(older.page.events.length).toBeGreaterThan(0);
    expect(older.page.events.map((e) => e.id)).not.toContain(first.page.events[0]!.id);
    await expect(readAuditPage(initech, encodeEventCursor({ micros: '0', id: randomUUID() }))).resolves.toMatchObject({ page: { events: [] } });
  });
});
