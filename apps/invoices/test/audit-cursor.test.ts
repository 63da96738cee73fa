/**
 * The audit page's cursor (`?after=`), as every list of the apps reads one: a link edited by hand,
 * cut short or repeated shows the first page (not an error page, not a 404); a cursor the trail
 * gave is followed.
 */
import { randomUUID } from 'node:crypto';
import { seedDemo } from '@studio/db-schema/seed';
import { createTestDatabase, type TestDatabase } from '@studio/db-schema/testing';
import { createDatabase, type Database, type TenantDb } from '@studio/tenancy';
import { audit, encodeEventCursor } from '@studio/tenancy/audit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAuditPage } from '../src/lib/audit';

let testDb: TestDatabase;
let db: Database;
let acme: TenantDb;

beforeAll(async () => {
  testDb = await createTestDatabase();
  await seedDemo(testDb.urls.owner);
  db = createDatabase({ url: testDb.urls.app, mode: 'rls', tenantCache: { listen: false } });
  const tenants = await db.platform.listTenants();
  acme = await db.tenant(tenants.find((t) => t.slug === 'acme')!.id);
  for (const target of ['a', 'b', 'c']) await audit(acme, { action: 'cursor.test', target });
}, 60_000);

afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

describe('the audit page of invoices', () => {
  it('shows the first page for a cursor it did not give', async () => {
    const first = await readAuditPage(acme, { action: 'cursor.test' });
    expect(first.page.events.map((e) => e.target)).toEqual(['c', 'b', 'a']);
    const forged = Buffer.from(`1|x' or true --`).toString('base64url');
    for (const after of ['not-a-cursor', forged, `${encodeEventCursor({ micros: '1', id: randomUUID() })}x`, ['a', 'b']]) {
      const page = await readAuditPage(acme, { action: 'cursor.test', after });
      expect(page.after).toBe('');
      expect(page.page.events.map((e) => e.target)).toEqual(['c', 'b', 'a']);
    }
  });

  it('follows a cursor the trail gave', async () => {
    const before = encodeEventCursor({ micros: '0', id: randomUUID() });
    const page = await readAuditPage(acme, { action: 'cursor.test', after: before });
    expect(page.after).toBe(before);
    expect(page.page.events).toEqual([]);
  });
});
