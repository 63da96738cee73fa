import { loadModule, parseSync } from 'libpg-query';
import { TenantScopeError } from '../errors';
import { analyzeStatement, type Analysis, type GuardPolicy } from './analyze';
import { ALLOWED_FUNCTIONS, neverAllowed } from './functions';

export interface QueryGuardOptions {
  /** Names of the tenant-scoped tables (from the schema's table kinds). */
  tenantTables: Iterable<string>;
  /**
   * Platform tables a product may read, each with the columns it may read (table -> columns).
   * Nothing else outside the tenant tables may be named, and nothing of these may be written.
   */
  platformReadable?: Record<string, readonly string[]>;
  /**
   * Functions allowed on top of the built-in allow-list (functions.ts): `name` for a function
   * found through the search path, `schema.name` for a qualified one. Only functions that run no
   * SQL and have no side effect belong here.
   */
  allowFunctions?: Iterable<string>;
  /** Distinct query shapes kept; the oldest verdict is dropped past it. */
  cacheSize?: number;
}

export interface GuardVerdict {
  /** True when the statement (or one of its CTEs) inserts, updates or deletes. */
  writes: boolean;
}

let loading: Promise<void> | undefined;

/** Loads the parser's WebAssembly module once per process. */
export function loadParser(): Promise<void> {
  loading ??= loadModule();
  return loading;
}

/**
 * C4, C15: refuses, before anything is sent, a statement whose tenant tables are not all filtered
 * on the context tenant, or that names anything outside its allow-lists (relations, platform
 * columns, functions, statement kinds). The parse and analysis are cached by SQL text, so a query
 * shape is parsed once; a cached check only compares the bound parameters with the tenant id.
 */
export class QueryGuard {
  private readonly policy: GuardPolicy;
  private readonly verdicts = new Map<string, Analysis>();
  private readonly cacheSize: number;

  constructor(options: QueryGuardOptions) {
    const functions = new Set(ALLOWED_FUNCTIONS);
    for (const name of options.allowFunctions ?? []) {
      const never = neverAllowed(name.split('.').at(-1)!.toLowerCase());
      if (never) throw new Error(`allowFunctions: ${name} can never be allowed (${never}).`);
      functions.add(name);
    }
    this.policy = {
      tenantTables: new Set(options.tenantTables),
      platformReadable: new Map(Object.entries(options.platformReadable ?? {}).map(([table, columns]) => [table, new Set(columns)])),
      functions,
    };
    this.cacheSize = options.cacheSize ?? 2000;
  }

  /** Must resolve before `check` (the parser is WebAssembly). */
  ready(): Promise<void> {
    return loadParser();
  }

  /** Throws TenantScopeError (with its `reason`) when the statement is not scoped to `tenantId` or not allowed. */
  check(sql: string, params: readonly unknown[], tenantId: string): GuardVerdict {
    let analysis = this.verdicts.get(sql);
    if (!analysis) {
      analysis = this.analyze(sql);
      if (this.verdicts.size >= this.cacheSize) this.verdicts.delete(this.verdicts.keys().next().value!);
      this.verdicts.set(sql, analysis);
    }
    if (!analysis.ok) throw new TenantScopeError(analysis.problem, sql, analysis.table, analysis.reason);
    for (const requirement of analysis.requirements) {
      const scoped = requirement.candidates.some((candidate) => candidate.every((n) => sameTenant(params[n - 1], tenantId)));
      if (!scoped) {
        throw new TenantScopeError(
          `the tenant_id it binds (${describeParams(requirement.candidates, params)}) is not the current tenant ${tenantId}`,
          sql,
          requirement.table,
          'unscoped',
        );
      }
    }
    return analysis;
  }

  /** How many query shapes have a cached verdict (for tests and the benchmark). */
  get cachedShapes(): number {
    return this.verdicts.size;
  }

  private analyze(sql: string): Analysis {
    let tree;
    try {
      tree = parseSync(sql);
    } catch (error) {
      return { ok: false, reason: 'parse', problem: `it does not parse (${error instanceof Error ? error.message : String(error)})` };
    }
    return analyzeStatement(tree, this.policy);
  }
}

function sameTenant(value: unknown, tenantId: string): boolean {
  return typeof value === 'string' && (value === tenantId || value.toLowerCase() === tenantId);
}

function describeParams(candidates: number[][], params: readonly unknown[]): string {
  const numbers = [...new Set(candidates.flat())];
  return numbers.map((n) => `$${n} = ${JSON.stringify(params[n - 1] ?? null)}`).join(', ');
}
