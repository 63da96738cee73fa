import { getTableConfig } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rolesFromEnv } from '../src/config';
import { distributeDatabase, DistributeError, tenantTablesParentsFirst } from '../src/distribute';
import { createTestDatabase, type TestDatabase } from '../src/testing/index';

// db:distribute on plain Postgres: a clear refusal, nothing changed. Its run on Citus is in the
// Citus phase (CITUS_URL, test/citus/).
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

describe('db:distribute', () => {
  it('refuses a server without the citus extension, saying so', async () => {
    const lines: string[] = [];
    const run = distributeDatabase({ url: database.urls.migrate, roles: rolesFromEnv(), log: (line) => lines.push(line) });
    await expect(run).rejects.toBeInstanceOf(DistributeError);
    await expect(run).rejects.toThrow(/is not a Citus database: the citus extension is not installed/);
    expect(lines).toEqual([]);
  });

  it('orders the tenant tables parents first, so composite foreign keys find their target distributed', () => {
    const names = tenantTablesParentsFirst().map((t) => getTableConfig(t).name);
    expect(names.indexOf('customers')).toBeLessThan(names.indexOf('invoices'));
    expect(names.indexOf('invoices')).toBeLessThan(names.indexOf('invoice_lines'));
    expect(names).toEqual(expect.arrayContaining(['api_tokens', 'audit_events', 'customers', 'invoice_lines', 'invoices', 'lesson_plans', 'usage_counters']));
  });
});
