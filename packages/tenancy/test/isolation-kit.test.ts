/** The kit can fail: on a database whose RLS was switched off for one table, it reports the leak. */
import { createTestDatabase, type TestDatabase } from '@studio/db-schema/testing';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIsolationMatrix, type AttackResult } from '../src/testing/index';

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
      expect.arrayContaining(['customers/sql/read all', 'customers/sql/no tenant set', 'customers/sql/COPY']),
    );
    expect(failed.every((r) => r.table === 'customers' && r.layer === 'sql')).toBe(true);
  });

  it('still sees the guard hold on that table: the scoped client leaks nothing', () => {
    expect(results.filter((r) => r.table === 'customers' && r.layer === 'scoped').every((r) => r.pass)).toBe(true);
  });
});
