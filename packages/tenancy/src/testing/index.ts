/**
 * `@studio/tenancy/testing`: the leak test kit. One line in a product's tests:
 *
 *   describeTenantIsolation(async () => ({ ownerUrl, appUrl }));
 *
 * Every tenant table of the schema gets every attack of the matrix, through the scoped client
 * and through raw SQL as the app role; a table added later is covered with no new test.
 */
import { getTableConfig } from 'drizzle-orm/pg-core';
import * as defaultSchema from '@studio/db-schema/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTACKS, runIsolationMatrix, tenantTablesOf, type AttackResult, type MatrixOptions } from './matrix';

export { ATTACKS, runIsolationMatrix, tenantTablesOf, type AttackResult, type Layer, type MatrixOptions } from './matrix';

export function describeTenantIsolation(
  options: () => MatrixOptions | Promise<MatrixOptions>,
  config: { schema?: Record<string, unknown>; onResults?: (results: AttackResult[]) => void | Promise<void> } = {},
): void {
  const schema = config.schema ?? (defaultSchema as Record<string, unknown>);
  const tables = tenantTablesOf(schema).map((t) => getTableConfig(t).name);
  let results: AttackResult[] = [];

  describe('tenant isolation: every attack on every tenant table', () => {
    beforeAll(async () => {
      results = await runIsolationMatrix({ schema, ...(await options()) });
      await config.onResults?.(results);
    }, 300_000);
    afterAll(() => {
      results = [];
    });

    describe.each(tables)('%s', (table) => {
      for (const layer of ['scoped', 'sql'] as const) {
        it.each(ATTACKS[layer])(`${layer === 'scoped' ? 'scoped client' : 'raw SQL as the app role'}: %s`, (attack) => {
          const result = results.find((r) => r.table === table && r.layer === layer && r.attack === attack);
          expect(result, `no result for ${table} / ${layer} / ${attack}`).toBeDefined();
          expect(result!.pass, `${table} / ${layer} / ${attack}: ${result!.outcome}`).toBe(true);
        });
      }
    });
  });
}
