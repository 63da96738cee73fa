/** The kit can fail: on a database whose RLS was switched off for one table, it reports the leak. */
import { createTestDatabase, type TestDatabase } from '@studio/db-schema/testing';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORM, runIsolationMatrix, type AttackResult } from '../src/testing/index';

let testDb: TestDatabase;
let results: AttackResult[];

beforeAll(async () => {
  testDb = await createTestDatabase();
  const owner = postgres(testDb.urls.owner, { max: 1, onnotice: () => {} });
  await owner`alter table customers disable row level security`;
  await owner.end();
  // In RLS mode the scoped client would refuse this database outright (it checks FORCE at start);
  // 'app' mode lets the kit run, so the raw-SQL layer can show what the drift exposes.
  results = await runIsolationMatrix({ ownerUrl: testDb.urls.owner, appUrl: testDb.urls.app, mode: 'app' });
}, 120_000);

afterAll(async () => {
  await testDb?.drop();
});

describe('the leak test kit', () => {
  it('finds the leak through raw SQL on the table that lost its RLS', () => {
    const failed = results.filter((r) => !r.pass);
    expect(failed.map((r) => `${r.table}/${r.layer}/${r.attack}`)).toEqual(
      expect.arrayContaining([
        'customers/sql/read by id',
        'customers/sql/read all',
        'customers/sql/update by id',
        "customers/sql/insert with the other tenant's id",
        'customers/sql/upsert (ON CONFLICT) onto the other row',
        'customers/sql/no tenant set',
        "customers/sql/the other tenant's bare id as the context",
        "customers/sql/forged signed context (A's signature, B's id)",
        'customers/sql/COPY',
        'customers/sql/INSERT ... WITH on VALUES',
        'customers/sql/column alias list',
        'customers/sql/subquery in LIMIT/OFFSET',
      ]),
    );
    expect(failed.every((r) => r.table === 'customers' && r.layer === 'sql')).toBe(true);
  });

  it('says what happened instead of the expected refusal', () => {
    const insert = results.find((r) => r.table === 'customers' && r.layer === 'sql' && r.attack === "insert with the other tenant's id")!;
    expect(insert.expected).toMatch(/42501.*row-level security/);
    expect(insert.outcome).toMatch(/^LEAK: 1 rows inserted into B/);
    // Deleting B's customer was stopped only by the invoice that points at it: an unrelated refusal, so a failed check.
    // (The RESTRICT foreign key answers 23503 up to PostgreSQL 17, 23001 from 18.)
    const remove = results.find((r) => r.table === 'customers' && r.layer === 'sql' && r.attack === 'delete by id')!;
    expect(remove.pass).toBe(false);
    expect(remove.outcome).toMatch(/got SQLSTATE (23503|23001)/);
  });

  it('judges each attack on its own: B\'s row is put back after an attack changed it', () => {
    // The invoices table kept its RLS: none of its attacks is failed by the customers' leak.
    expect(results.filter((r) => r.table === 'invoices' && !r.pass)).toEqual([]);
    // TRUNCATE and the SQL-running functions are refused by privileges, RLS or not.
    for (const attack of ['TRUNCATE', 'query_to_xml with set_config inside', 'table_to_xml', 'ts_stat']) {
      expect(results.find((r) => r.table === 'customers' && r.layer === 'sql' && r.attack === attack)?.pass, attack).toBe(true);
    }
  });

  it('still sees the guard hold on that table: the scoped client leaks nothing', () => {
    expect(results.filter((r) => r.table === 'customers' && r.layer === 'scoped').every((r) => r.pass)).toBe(true);
  });

  it('runs the platform attacks once, in guard-only mode too', () => {
    const platform = results.filter((r) => r.table === PLATFORM);
    expect(platform.length).toBeGreaterThan(20);
    expect(platform.filter((r) => !r.pass)).toEqual([]);
  });
});
