import { seedDemo } from '@studio/db-schema/seed';
import { createTestDatabase, type TestDatabase } from '@studio/db-schema/testing';
import { customers } from '@studio/db-schema/schema';
import postgres from 'postgres';
import { tenantContextValue } from '@studio/db-schema/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appDatabaseUrl, placementsFromEnv, poolerFromEnv } from '../src/env-schema';
import { createDatabase, type Database } from '../src/index';
import { internals } from '../src/internal/symbols';

let testDb: TestDatabase;
let db: Database;

beforeAll(async () => {
  testDb = await createTestDatabase();
  await seedDemo(testDb.urls.owner);
  db = createDatabase({ url: testDb.urls.app });
});

afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

describe('createDatabase', () => {
  it('lists the tenant registry as the app role', async () => {
    const tenants = await db.platform.listTenants();
    expect(tenants.map((t) => t.slug)).toEqual(['acme', 'globex', 'initech']);
  });

  // A user's tenants (the switcher) come from the auth library's role: the product role sees the
  // memberships of its current, signed tenant only.
  it("shows the product role only the current tenant's memberships", async () => {
    const owner = postgres(testDb.urls.owner, { max: 1, onnotice: () => {} });
    const [dave] = await owner<{ id: string }[]>`select id from users where email = 'dave@example.test'`;
    const [acme] = await owner<{ id: string }[]>`select id from tenants where slug = 'acme'`;
    await owner.end();
    const app = postgres(testDb.urls.app, { max: 1, onnotice: () => {} });
    try {
      expect(await app`select tenant_id from memberships where user_id = ${dave!.id}`).toEqual([]);
      const rows = await app.begin(async (tx) => {
        await tx`select set_config('app.tenant_context', ${tenantContextValue(acme!.id)}, true)`;
        return tx<{ tenant_id: string }[]>`select tenant_id from memberships where user_id = ${dave!.id}`;
      });
      expect(rows.map((r) => r.tenant_id)).toEqual([acme!.id]);
    } finally {
      await app.end();
    }
  });

  it('derives the app role URL from DATABASE_URL, and says what to do without one', () => {
    const url = appDatabaseUrl({ DATABASE_URL: 'postgres://root:pw@db.internal:5432/studio' });
    expect(new URL(url).username).toBe('studio_app');
    expect(new URL(url).pathname).toBe('/studio');
    expect(appDatabaseUrl({ DATABASE_APP_URL: 'postgres://x:y@h/db' })).toBe('postgres://x:y@h/db');
    expect(() => appDatabaseUrl({})).toThrow(/set DATABASE_APP_URL/);
  });

  it('reads extra placements from DATABASE_PLACEMENTS, refusing malformed values with the reason', () => {
    expect(placementsFromEnv({})).toEqual({});
    expect(placementsFromEnv({ DATABASE_PLACEMENTS: '{"eu-1":"postgres://a:b@eu/db"}' })).toEqual({ 'eu-1': 'postgres://a:b@eu/db' });
    expect(() => placementsFromEnv({ DATABASE_PLACEMENTS: 'eu=postgres://x' })).toThrow(/not JSON/);
    expect(() => placementsFromEnv({ DATABASE_PLACEMENTS: '{"EU":"postgres://x"}' })).toThrow(/placement keys/);
    expect(() => placementsFromEnv({ DATABASE_PLACEMENTS: '{"eu":"mysql://x"}' })).toThrow(/postgres:\/\/ URL/);
    expect(() => placementsFromEnv({ DATABASE_PLACEMENTS: '{"shared":"postgres://x"}' })).toThrow(/DATABASE_URL/);
  });

  it('reads DATABASE_POOLER: transaction pooling turns named prepared statements and LISTEN off', async () => {
    expect(poolerFromEnv({})).toBe('none');
    expect(poolerFromEnv({ DATABASE_POOLER: 'session' })).toBe('none');
    expect(poolerFromEnv({ DATABASE_POOLER: ' Transaction ' })).toBe('transaction');
    expect(() => poolerFromEnv({ DATABASE_POOLER: 'statement' })).toThrow(/expected 'transaction'/);
    // Unnamed statements: nothing is left prepared on the server connection for a pooler to lose.
    const preparedAfterReads = async (pooler: 'none' | 'transaction') => {
      const client = createDatabase({ url: testDb.urls.app, pooler, poolSize: 1, tenantCache: { listen: false } });
      try {
        expect(client.pooler).toBe(pooler);
        const tdb = await client.tenant((await client.platform.listTenants())[0]!.id);
        await tdb.select().from(customers).limit(1);
        // The scoped statements themselves (the boot check's own queries do not count).
        // On the same (only) connection, but not through the scoped client: the guard refuses catalog views.
        const pool = client[internals].placements.get('shared')!.scoped.request;
        const { rows } = await pool.shared((conn) =>
          conn.run([
            {
              text: `select count(*)::int as n from pg_prepared_statements where statement like '%"customers"%' or statement like '%app.tenant_context%'`,
              values: [],
              result: 'object',
            },
          ]),
        );
        const row = rows[0] as { n: number } | undefined;
        return row!.n;
      } finally {
        await client.close();
      }
    };
    // Named: the tenant setting, the read, and this very count.
    expect(await preparedAfterReads('none')).toBeGreaterThanOrEqual(2);
    expect(await preparedAfterReads('transaction')).toBe(0);
  });
});
