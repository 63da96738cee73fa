/**
 * `@studio/tenancy/testing`: the leak test kit and the authorization matrix kit. A product runs
 * the leak kit on its own tables (the tenancy package runs it on the whole schema):
 *
 *   describeTenantIsolation(async () => ({ ownerUrl, appUrl }), { tables: ['invoices'], platform: false });
 *
 * docs/contract.md#the-leak-test-kit, docs/contract.md#the-authorization-matrix-kit
 */
import { getTableConfig } from 'drizzle-orm/pg-core';
import * as defaultSchema from '@studio/db-schema/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTACKS, PLATFORM, PLATFORM_ATTACKS_BY_LAYER, runIsolationMatrix, tenantTablesOf, type AttackResult, type MatrixOptions } from './matrix';
import { checkDeclarations, describeFailures, runHttpMatrix, type AuthorizationMatrixConfig, type HttpMatrixOptions, type MatrixResult } from './authorization';
import { findEntryPoints } from './entry-points';

export {
  actionManifest,
  checkDeclarations,
  classify,
  describeFailures,
  expectedVerdict,
  keeps,
  runHttpMatrix,
  type Answer,
  type AuthorizationMatrixConfig,
  type CallerKind,
  type DeclarationProblem,
  type HttpMatrixOptions,
  type MatrixCaller,
  type MatrixResult,
  type Verdict,
} from './authorization';
export { DEFAULT_GATES, findEntryPoints, type EntryKind, type EntryPoint, type FindOptions } from './entry-points';
export {
  ATTACKS,
  describeExpected,
  judge,
  PLATFORM,
  PLATFORM_ATTACKS_BY_LAYER,
  runIsolationMatrix,
  tenantTablesOf,
  type AttackResult,
  type Expected,
  type HttpRoute,
  type HttpTarget,
  type KitTenant,
  type Layer,
  type MatrixOptions,
  type Outcome,
  type Ran,
} from './matrix';

export function describeTenantIsolation(
  options: () => MatrixOptions | Promise<MatrixOptions>,
  config: {
    schema?: Record<string, unknown>;
    onResults?: (results: AttackResult[]) => void | Promise<void>;
    /** true when options() returns `http` (a running app): adds the HTTP routes' test. */
    http?: boolean;
    /**
     * Attack only these tenant tables (a product's own; every table is still seeded). Default:
     * every tenant table of the schema, which the tenancy package runs once for all products.
     */
    tables?: readonly string[];
    /** false: leave out the attacks on the platform itself (the package runs them). Default true. */
    platform?: boolean;
  } = {},
): void {
  const schema = config.schema ?? (defaultSchema as Record<string, unknown>);
  const all = tenantTablesOf(schema).map((t) => getTableConfig(t).name);
  const unknown = config.tables?.filter((t) => !all.includes(t)) ?? [];
  if (unknown.length > 0) throw new Error(`describeTenantIsolation: not tenant tables of the schema: ${unknown.join(', ')} (tenant tables: ${all.join(', ')})`);
  if (config.tables?.length === 0) throw new Error('describeTenantIsolation: tables is empty; leave it out to attack every tenant table');
  const tables = config.tables ? all.filter((t) => config.tables!.includes(t)) : all;
  const platform = config.platform !== false;

  describe(config.tables ? `tenant isolation: every attack on ${tables.join(', ')}` : 'tenant isolation: every attack on every tenant table', () => {
    // Filled once by beforeAll and only read by the tests below (each test judges its own attack).
    let results: AttackResult[] = [];
    beforeAll(async () => {
      results = await runIsolationMatrix({
        schema,
        ...(await options()),
        ...(config.tables ? { tables } : {}),
        ...(platform ? {} : { platform: false }),
      });
      await config.onResults?.(results);
    }, 300_000);
    afterAll(() => {
      results = [];
    });

    const label = { scoped: 'scoped client', sql: 'raw SQL as the app role', http: 'HTTP routes' } as const;
    // Each attack must end exactly as it expects (a given refusal, or nothing of B's): an attack
    // refused for an unrelated reason fails here, with what it expected and what happened.
    const check = (table: string, layer: 'scoped' | 'sql', attack: string) => {
      const result = results.find((r) => r.table === table && r.layer === layer && r.attack === attack);
      expect(result, `no result for ${table} / ${layer} / ${attack}`).toBeDefined();
      expect(result!.pass, `${table} / ${layer} / ${attack}: ${result!.outcome}`).toBe(true);
    };
    describe.each(tables)('%s', (table) => {
      for (const layer of ['scoped', 'sql'] as const) {
        it.each(ATTACKS[layer])(`${label[layer]}: %s`, (attack) => check(table, layer, attack));
      }
    });
    // Attacks on the platform itself (credentials, users, the job queue, locks, statistics, role settings).
    if (platform) {
      describe(PLATFORM, () => {
        for (const layer of ['scoped', 'sql'] as const) {
          it.each(PLATFORM_ATTACKS_BY_LAYER[layer])(`${label[layer]}: %s`, (attack) => check(PLATFORM, layer, attack));
        }
      });
    }
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

/**
 * The authorization matrix (C14) for one app:
 *
 *   describeAuthorizationMatrix({ appDir, permissions });                  // every entry point declares its need
 *   describeAuthorizationMatrix({ appDir, permissions }, { http: async () => ({ port, host, callers }) });
 *
 * Statically: one test per page, route method and server action found in the app's files, each
 * must declare a need its table knows. With `http` (a running production build and a caller of
 * each kind): each entry point is called as each caller and must be answered as the table says.
 */
export function describeAuthorizationMatrix(
  config: AuthorizationMatrixConfig,
  options: { http?: () => HttpMatrixOptions | Promise<HttpMatrixOptions>; onResults?: (results: MatrixResult[]) => void | Promise<void> } = {},
): void {
  const entries = findEntryPoints(config.appDir, { gates: config.gates });
  const label = (e: (typeof entries)[number]) => `${e.kind} ${e.route}${e.kind === 'page' ? '' : ` ${e.name}`}`;

  describe('authorization matrix: every page, route and server action declares what it needs', () => {
    it('finds the entry points', () => {
      expect(entries.filter((e) => e.kind === 'page').length, `no page under ${config.appDir}/src/app`).toBeGreaterThan(0);
    });
    it.each(entries.map((e) => [label(e), e] as const))('%s', (_name, entry) => {
      const problems = checkDeclarations([entry], config.permissions);
      expect(problems.map((p) => p.problem)).toEqual([]);
    });
  });

  const http = options.http;
  if (!http) return;
  describe('authorization matrix: every entry point as every kind of caller', () => {
    let results: MatrixResult[] = [];
    beforeAll(async () => {
      results = await runHttpMatrix(config.appDir, entries, config.permissions, await http());
      await options.onResults?.(results);
    }, 600_000);
    afterAll(() => {
      results = [];
    });
    it.each(entries.filter((e) => e.need !== null).map((e) => [label(e), e] as const))('%s', (_name, entry) => {
      const mine = results.filter((r) => r.entry === entry);
      expect(mine.length, `${label(entry)} was not called`).toBeGreaterThan(0);
      expect(describeFailures(mine)).toBe('');
    });
  });
}
