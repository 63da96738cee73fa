import { tenantContextValue } from '@studio/db-schema/config';
import { CITUS_PROPAGATE_SET_COMMANDS, setLocalTenantContextSql } from '@studio/db-schema/tenant-context';
import { seedDemo } from '@studio/db-schema/seed';
import { createTestDatabase, type TestDatabase } from '@studio/db-schema/testing';
import postgres from 'postgres';
import { afterAll, beforeAll } from 'vitest';

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
  // Pins what SET LOCAL needs to reach Citus workers (a placeholder on plain Postgres).
  const owner = postgres(testDb.urls.owner, { max: 2, onnotice: () => {}, connection: { ...CITUS_PROPAGATE_SET_COMMANDS } });
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
    // SET LOCAL: the form that reaches Citus workers (set_config does not); the same on plain Postgres.
    await sql.unsafe(setLocalTenantContextSql(tenantContextValue(tenantId)));
    return fn(sql);
  }) as Promise<T>;
}

/**
 * For a test file: a seeded database and a raw connection as the product role, what an attacker
 * has with a bypassed guard or a stolen password. Read `.seeded` and `.app` inside the tests.
 */
export function seededWithAppConnection(): { readonly seeded: SeededDatabase; readonly app: postgres.Sql } {
  const state: { seeded?: SeededDatabase; app?: postgres.Sql } = {};
  beforeAll(async () => {
    state.seeded = await seededDatabase();
    state.app = postgres(state.seeded.testDb.urls.app, { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await state.app?.end();
    await state.seeded?.close();
  });
  return {
    get seeded() {
      return state.seeded!;
    },
    get app() {
      return state.app!;
    },
  };
}
