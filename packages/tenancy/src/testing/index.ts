/**
 * `@studio/tenancy/testing`: the leak test kit. One line in a product's tests:
 *
 *   describeTenantIsolation(async () => ({ ownerUrl, appUrl }));
 *
 * Every tenant table of the schema gets every attack of the matrix, through the scoped client
 * and through raw SQL as the app role; a table added later is covered with no new test. Given
 * `http` (a running app, its routes, how to authenticate), the routes are attacked too.
 */
import { getTableConfig } from 'drizzle-orm/pg-core';
import * as defaultSchema from '@studio/db-schema/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTACKS, runIsolationMatrix, tenantTablesOf, type AttackResult, type MatrixOptions } from './matrix';

export { ATTACKS, runIsolationMatrix, tenantTablesOf, type AttackResult, type HttpRoute, type HttpTarget, type KitTenant, type Layer, type MatrixOptions } from './matrix';

export function describeTenantIsolation(
  options: () => MatrixOptions | Promise<MatrixOptions>,
  config: {
    schema?: Record<string, unknown>;
    onResults?: (results: AttackResult[]) => void | Promise<void>;
    /** true when options() returns `http` (a running app): adds the HTTP routes' test. */
    http?: boolean;
  } = {},
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

    const label = { scoped: 'scoped client', sql: 'raw SQL as the app role', http: 'HTTP routes' } as const;
    describe.each(tables)('%s', (table) => {
      for (const layer of ['scoped', 'sql'] as const) {
        it.each(ATTACKS[layer])(`${label[layer]}: %s`, (attack) => {
          const result = results.find((r) => r.table === table && r.layer === layer && r.attack === attack);
          expect(result, `no result for ${table} / ${layer} / ${attack}`).toBeDefined();
          expect(result!.pass, `${table} / ${layer} / ${attack}: ${result!.outcome}`).toBe(true);
        });
      }
    });
    if (config.http) {
      // The http layer: every attack on every route the product named in options().http.
      it(`${label.http}: every attack on every route given`, () => {
        const http = results.filter((r) => r.layer === 'http');
        expect(http.length, 'options().http gave no routes').toBeGreaterThan(0);
        for (const result of http) expect(result.pass, `${result.table} / http / ${result.attack}: ${result.outcome}`).toBe(true);
      });
    }
  });
}
