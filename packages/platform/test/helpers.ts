// The seeded database of packages/tenancy/test/helpers.ts, for the platform's tests.
import { tenantContextValue } from '@studio/db-schema/config';
import { seedDemo } from '@studio/db-schema/seed';
import { createTestDatabase, type TestDatabase } from '@studio/db-schema/testing';
import postgres from 'postgres';

export interface SeededDatabase {
  testDb: TestDatabase;
  /** Demo tenant ids by slug. */
  ids: Record<'acme' | 'globex' | 'initech', string>;
  /** The owner's connection, for arranging data behind the scoped client's back. */
  owner: postgres.Sql;
  /** The superuser's connection: reads every tenant's rows to check what was written (FORCE RLS binds the owner). */
  su: postgres.Sql;
  close(): Promise<void>;
}

/** A fresh migrated database with the demo seed. */
export async function seededDatabase(): Promise<SeededDatabase> {
  const testDb = await createTestDatabase();
  await seedDemo(testDb.urls.owner);
  const owner = postgres(testDb.urls.owner, { max: 2, onnotice: () => {} });
  const rows = await owner<{ id: string; slug: string }[]>`select id, slug from tenants`;
  const ids = Object.fromEntries(rows.map((r) => [r.slug, r.id])) as SeededDatabase['ids'];
  const su = postgres(testDb.urls.migrate, { max: 1, onnotice: () => {} });
  return {
    testDb,
    ids,
    owner,
    su,
    async close() {
      await su.end();
      await owner.end();
      await testDb.drop();
    },
  };
}

/** Runs `fn` as the owner with a tenant's context (FORCE RLS binds the owner too). */
export async function asTenant<T>(owner: postgres.Sql, tenantId: string, fn: (sql: postgres.TransactionSql) => Promise<T>): Promise<T> {
  return owner.begin(async (sql) => {
    await sql`select set_config('app.tenant_context', ${tenantContextValue(tenantId)}, true)`;
    return fn(sql);
  }) as Promise<T>;
}
