/**
 * A bundler may load @studio/tenancy twice in one process (Next.js bundles server actions and
 * pages in separate layers), while an app keeps one Database in globalThis. A scoped client made
 * by one copy must then work with the helpers of the other: audit(tdb) in a server action on the
 * context's client, isTenantDb() anywhere.
 */
import { auditEvents } from '@studio/db-schema/schema';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type * as AuditModule from '../src/audit';
import { createDatabase, type Database } from '../src/index';
import type * as TenantDbModule from '../src/scoped/tenant-db';
import { seededDatabase, type SeededDatabase } from './helpers';

let seeded: SeededDatabase;
let db: Database;
beforeAll(async () => {
  seeded = await seededDatabase();
  db = createDatabase({ url: seeded.testDb.urls.app, tenantCache: { listen: false } });
});
afterAll(async () => {
  await db?.close();
  await seeded?.close();
});

it('recognises a scoped client made by another copy of the module (audit, isTenantDb)', async () => {
  // A second instance of the modules, as a second bundle layer would have.
  const copy = (await import(/* @vite-ignore */ `../src/scoped/tenant-db.ts?${'second-copy'}`)) as typeof TenantDbModule;
  const auditCopy = (await import(/* @vite-ignore */ `../src/audit.ts?${'second-copy'}`)) as typeof AuditModule;
  const tdb = await db.tenant(seeded.ids.acme);
  expect(copy.isTenantDb(tdb)).toBe(true);
  expect(() => copy.hooksOf(tdb)).not.toThrow();
  await auditCopy.audit(tdb, { action: 'copy.checked', target: 'x' });
  const rows = await tdb.select({ id: auditEvents.id }).from(auditEvents).where(and(eq(auditEvents.action, 'copy.checked')));
  expect(rows).toHaveLength(1);
});
