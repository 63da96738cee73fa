import { invoices } from '@studio/db-schema/schema';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminDatabase } from '../src/index';
import { UnsafeDatabaseRoleError } from '@studio/tenancy';
import { seededDatabase, type SeededDatabase } from './helpers';

let seeded: SeededDatabase;
beforeAll(async () => {
  seeded = await seededDatabase();
});
afterAll(async () => {
  await seeded?.close();
});

describe('@studio/tenancy/admin', () => {
  it('reads across tenants as the admin role', async () => {
    const admin = createAdminDatabase({ url: seeded.testDb.urls.admin });
    try {
      await admin.verify();
      const [all] = await admin.db.select({ n: count() }).from(invoices);
      expect(all!.n).toBe(40 + 25 + 12);
    } finally {
      await admin.close();
    }
  });

  it.each([
    ['the app role (no BYPASSRLS: reads would be empty)', 'app', /BYPASSRLS/],
    ['the owner', 'owner', /owner of tables/],
    ['a superuser', 'migrate', /superuser/],
  ] as const)('refuses %s', async (_name, role, message) => {
    const admin = createAdminDatabase({ url: seeded.testDb.urls[role] });
    try {
      const error = await admin.verify().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnsafeDatabaseRoleError);
      expect((error as Error).message).toMatch(message);
    } finally {
      await admin.close();
    }
  });
});
