/**
 * The leak test kit's engine: for every tenant table of a schema, seed one row for each of two
 * fresh tenants, then attack B's row from A's context through every layer, and record what
 * happened. Framework-free, so a test runner and the isolation report share it.
 *
 * Every attack declares the one outcome it expects (verdict.ts): the guard's refusal with its
 * reason, a SQLSTATE, or "ran and got nothing of B's". An attack that fails for another reason
 * (a NOT NULL column, a syntax error, a missing column) is a failed check: it never reached the
 * layer it was meant to test. Attacks on the platform rather than on one table (credentials,
 * users, the job queue, advisory locks, statistics, role settings, temp tables) run once per
 * run, under the pseudo-table PLATFORM.
 */
import { randomUUID } from 'node:crypto';
import nodeHttp from 'node:http';
import { tenantContextKey, tenantContextValue } from '@studio/db-schema/config';
import * as defaultSchema from '@studio/db-schema/schema';
import { getTableKind } from '@studio/db-schema/table-kinds';
import { CITUS_PROPAGATE_SET_COMMANDS, SET_TENANT_CONTEXT_SQL, setLocalTenantContextSql, signTenantContext, TENANT_CONTEXT_VALUE } from '@studio/db-schema/tenant-context';
import { sql as dsql, type SQL } from 'drizzle-orm';
import { getTableConfig, PgDialect, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import { createDatabase, type Database } from '../database';
import type { TenantDb } from '../scoped/tenant-db';
import { tenantTablesOf } from '../internal/tables';
import { isCitus } from '../lifecycle/common';
import { attempt, describeExpected, getsNothing, judge, refusedByGuard, refusedWith, type Expected, type Ran } from './verdict';

export { tenantTablesOf };
export { describeExpected, judge, type Expected, type Outcome, type Ran } from './verdict';

export type Layer = 'scoped' | 'sql' | 'http';
export interface AttackResult {
  /** The tenant table attacked, or PLATFORM for the attacks on the platform itself. */
  table: string;
  layer: Layer;
  attack: string;
  /** true: the attack ended exactly as expected, and got nothing of B's and changed nothing of B's. */
  pass: boolean;
  /** What happened, for the report (on a failure: what was expected and what happened instead). */
  outcome: string;
  /** The outcome the attack expects ('n/a' when it does not apply to this table). */
  expected?: string;
}

/** The pseudo-table of the attacks that run once per run, on the platform rather than a table. */
export const PLATFORM = '(platform)';

export interface MatrixOptions {
  /** The owner role's URL (seeds rows behind the scoped client's back; FORCE RLS binds it too). */
  ownerUrl: string;
  /** The app role's URL: every attack runs as the app. */
  appUrl: string;
  /** The schema module (default: @studio/db-schema/schema). */
  schema?: Record<string, unknown>;
  mode?: 'rls' | 'app';
  /** The key that signs the tenant context (default: TENANT_CONTEXT_KEY, or the dev key), as the database was migrated with. */
  contextKey?: string;
  /** Attack only these tenant tables (all are still seeded); default: every one. */
  tables?: readonly string[];
  /** false: leave out the PLATFORM attacks (default true). */
  platform?: boolean;
  /** The product's HTTP routes, attacked through a running app (the `http` layer). */
  http?: HttpTarget;
}

/** A tenant the kit created, as the app sees it. */
export interface KitTenant {
  id: string;
  slug: string;
}

/** One JSON route that lists (and optionally creates) rows of a tenant table. */
export interface HttpRoute {
  /** The tenant table the route serves. */
  table: string;
  /** Path of the list, e.g. '/api/invoices'; its JSON must contain the ids of the rows it returns. */
  list: string;
  /** Query string that asks for one row by id, when the route filters by id (e.g. (id) => `?id=${id}`). */
  byId?: (id: string) => string;
  /** A body for POST `list` that creates a row (the kit adds the other tenant's tenant_id to it). */
  create?: (row: Record<string, unknown>) => Record<string, unknown>;
}

export interface HttpTarget {
  /** The origin serving a tenant's requests, e.g. (t) => `http://${t.slug}.localhost:3001`. */
  origin(tenant: KitTenant): string;
  /** Headers that authenticate as a member (or token) of `tenant`, e.g. an API token of it. */
  credentials(tenant: KitTenant): Promise<Record<string, string>>;
  /** The header a product may read the tenant from, spoofed by one attack (default x-tenant-id). */
  tenantHeader?: string;
  routes: readonly HttpRoute[];
}

interface Seeded {
  table: PgTable;
  name: string;
  rls: boolean;
  rows: Record<'a' | 'b', Record<string, unknown>>;
  /** A text column the attacks may write to (to see whether B's row changed). */
  writable?: string;
  /** What the app role may do to the table at all (an append-only table refuses UPDATE and DELETE with 42501). */
  may: { update: boolean; delete: boolean };
}

/** What every attack gets: the two tenants, the clients, and the run's helpers. */
interface Ctx {
  ids: { a: string; b: string };
  /** The scoped client bound to A. */
  tdbA: TenantDb;
  /** A raw connection as the app role (one connection: what a stolen password or a guard bypass gets). */
  app: postgres.Sql;
  owner: postgres.Sql;
  seeded: readonly Seeded[];
  suffix: string;
  key: string;
  options: MatrixOptions;
  /** A's signed context. */
  contextA: string;
  /** The app role's quoted name. */
  appRole: string;
  /** `fn` on the owner connection with a tenant's signed context (FORCE RLS binds the owner too). */
  asOwner<T>(tenantId: string, fn: (tx: postgres.TransactionSql) => Promise<T>): Promise<T>;
  /** Whether the database is a Citus one (a few attacks end differently there: each says how). */
  citus: boolean;
  /** Sets app.tenant_context for the transaction `tx` the way the executor does on this database (see `setContext`). */
  setContext(tx: postgres.TransactionSql, value: string): Promise<unknown>;
  /** `fn` on the raw app connection inside a transaction with `context` as app.tenant_context (A's signed one by default). */
  asA<T>(fn: (tx: postgres.TransactionSql) => Promise<T>, context?: string | null): Promise<T>;
  /** Users of A and B, each a member of its tenant only (for the PLATFORM attacks). */
  users: { a: string; b: string };
  /** Whether the database has the job queue's schema. */
  hasQueue: boolean;
}

interface TableAttack {
  layer: 'scoped' | 'sql';
  name: string;
  /** Only Postgres row-level security answers it: on a table without RLS (app mode) it does not apply. */
  rls?: boolean;
  /** Why it does not apply to this table, or undefined. */
  na?(s: Seeded, ctx: Ctx): string | undefined;
  expected(s: Seeded): Expected;
  run(s: Seeded, ctx: Ctx): Promise<Ran>;
  /** Check the error message for B's values (unique-violation probing). */
  secrets?(s: Seeded, ctx: Ctx): string[];
}

interface PlatformAttack {
  layer: 'scoped' | 'sql';
  name: string;
  na?(ctx: Ctx): string | undefined;
  expected: Expected;
  run(ctx: Ctx): Promise<Ran>;
}

/** A read's rows: a leak when any row belongs to someone other than A. */
function readRows(rows: readonly Record<string, unknown>[], ctx: Ctx, column = 'tenant_id'): Ran {
  const others = rows.filter((row) => String(row[column]) !== ctx.ids.a);
  const hasB = others.some((row) => String(row[column]) === ctx.ids.b);
  return {
    detail: `${rows.length} rows${rows.length ? `, ${others.length} not A's` : ''}`,
    leak: others.length ? `${others.length} rows of other tenants${hasB ? " (B's among them)" : ''}` : undefined,
  };
}

/** A write's count: a leak when it touched any row (the attacks only ever aim at B's). */
function wrote(result: { count?: number }, verb: string): Ran {
  const n = result.count ?? 0;
  return { detail: `${n} rows ${verb}`, leak: n > 0 ? `${n} rows ${verb}` : undefined };
}

/** A text that must not contain B's id (XML, a word list, an aggregated column). */
function textWithout(text: unknown, ctx: Ctx, s: Seeded, what: string): Ran {
  const value = String(text ?? '');
  const bId = String(s.rows.b.id);
  const named = [bId, bId.replaceAll('-', ''), ctx.ids.b, ctx.ids.b.replaceAll('-', '')].some((v) => value.includes(v));
  return { detail: `${what}: ${value.length} characters`, leak: named ? `${what} holds B's row` : undefined };
}

const dialect = new PgDialect();
/** The two kinds of 42501: the policy's WITH CHECK refused the row, or the role has no privilege at all. */
const RLS_REFUSED = refusedWith('42501', 'row-level security');
const DENIED = refusedWith('42501', 'permission denied');
const t = (s: Seeded) => dsql.identifier(s.name);
const setWritable = (s: Seeded, value: SQL) => (s.writable ? dsql`${dsql.identifier(s.writable)} = ${value}` : dsql`id = id`);
const noWritable = (s: Seeded) => (s.writable ? undefined : 'n/a: no text column to carry what the sub-select reads');

/** The SQL a statement hides inside a string, as in issue 18: sets the context, then reads the table. */
const hidden = (s: Seeded, ctx: Ctx) =>
  `select set_config('app.tenant_id', '${ctx.ids.b}', true), set_config('app.tenant_context', '${ctx.ids.b}', true); select id, tenant_id from "${s.name}"`;
const tsStatSql = (s: Seeded) => `select to_tsvector('simple', replace(tenant_id::text, '-', '')) from "${s.name}"`;

/** A complete valid row of B's (every NOT NULL column, B's parents), new: only tenancy can refuse it. */
const bNewRow = (s: Seeded, ctx: Ctx) => insertable(s, s.rows.b, { id: randomUUID(), tenant_id: ctx.ids.b }, true);
/** A complete valid row of A's, new, whose writable column carries what `leak` reads. */
const withLeakSql = (s: Seeded, ctx: Ctx) => {
  const row = insertable(s, s.rows.a, { id: randomUUID(), tenant_id: ctx.ids.a }, true);
  delete row[s.writable!];
  const cols = Object.keys(row);
  return dsql`insert into ${t(s)} (${dsql.join(
    [...cols, s.writable!].map((c) => dsql.identifier(c)),
    dsql`, `,
  )}) with leak as (select id::text as v from ${t(s)}) values (${dsql.join(
    // Cast: under WITH, VALUES is a sub-select, and its untyped parameters would be text.
    cols.map((c) => dsql`cast(${sqlValue(row[c])} as ${dsql.raw(sqlTypeOf(s, c))})`),
    dsql`, `,
  )}, (select string_agg(v, ',') from leak)) returning ${dsql.identifier(s.writable!)} as leaked`;
};

/** Every attack on every tenant table, by layer. */
const TABLE_ATTACKS: readonly TableAttack[] = [
  // --- through the scoped client (the guard, and RLS behind it in mode 'rls') -------------------
  {
    layer: 'scoped',
    name: 'read by id',
    expected: () => getsNothing(),
    run: async (s, c) => readRows(await c.tdbA.execute(dsql`select * from ${t(s)} where tenant_id = ${c.ids.a} and id = ${s.rows.b.id as string}`), c),
  },
  {
    layer: 'scoped',
    name: 'count and aggregate',
    expected: () => getsNothing(),
    run: async (s, c) => readRows(await c.tdbA.execute(dsql`select tenant_id, count(*)::int as n from ${t(s)} where tenant_id = ${c.ids.a} group by tenant_id`), c),
  },
  {
    layer: 'scoped',
    name: 'update by id',
    expected: (s) => (s.may.update ? getsNothing() : DENIED),
    run: async (s, c) => wrote(await c.tdbA.execute(dsql`update ${t(s)} set ${setWritable(s, dsql`'pwned'`)} where tenant_id = ${c.ids.a} and id = ${s.rows.b.id as string}`), 'changed'),
  },
  {
    layer: 'scoped',
    name: 'delete by id',
    expected: (s) => (s.may.delete ? getsNothing() : DENIED),
    run: async (s, c) => wrote(await c.tdbA.execute(dsql`delete from ${t(s)} where tenant_id = ${c.ids.a} and id = ${s.rows.b.id as string}`), 'deleted'),
  },
  {
    layer: 'scoped',
    name: "insert with the other tenant's id",
    expected: () => refusedByGuard('unscoped'),
    run: async (s, c) => wrote(await c.tdbA.execute(insertSql(t(s), bNewRow(s, c))), 'inserted into B'),
  },
  {
    layer: 'scoped',
    name: 'upsert (ON CONFLICT) onto the other row',
    expected: () => refusedByGuard('unscoped'),
    run: async (s, c) => {
      // B's own key as the conflict target: the guard must refuse before anything is sent.
      const row = insertable(s, s.rows.b, { tenant_id: c.ids.b, id: s.rows.b.id });
      const set = s.writable ? dsql`${dsql.identifier(s.writable)} = 'pwned'` : dsql`id = excluded.id`;
      return wrote(await c.tdbA.execute(dsql`${insertSql(t(s), row)} on conflict (tenant_id, id) do update set ${set}`), 'upserted');
    },
  },
  {
    layer: 'scoped',
    name: 'raw SQL without the tenant filter',
    expected: () => refusedByGuard('unscoped'),
    run: async (s, c) => readRows(await c.tdbA.execute(dsql`select * from ${t(s)}`), c),
  },
  {
    layer: 'scoped',
    name: 'session-level set_config',
    expected: () => refusedByGuard('function'),
    run: async (s, c) => ({ detail: `set_config ran (${(await c.tdbA.execute(dsql`select set_config('app.tenant_id', ${c.ids.b}, false) from ${t(s)} where tenant_id = ${c.ids.a}`)).length} rows)` }),
  },
  {
    layer: 'scoped',
    name: "set_config of the context to the other tenant's id",
    expected: () => refusedByGuard('function'),
    run: async (s, c) => ({
      detail: `set_config ran (${(await c.tdbA.execute(dsql`select set_config('app.tenant_context', ${c.ids.b}, true), count(*) from ${t(s)} where tenant_id = ${c.ids.a}`)).length} rows)`,
    }),
  },
  {
    layer: 'scoped',
    name: "foreign key into the other's parent",
    na: (s, c) => (tenantParent(s, c) ? undefined : 'n/a: no foreign key to a tenant table'),
    // 23503: refused by the composite foreign key itself, not by some other constraint.
    expected: () => refusedWith('23503'),
    run: async (s, c) => {
      const { fk, parent } = tenantParent(s, c)!;
      // A valid row of A's in every way but one: its parent is B's.
      const overrides: Record<string, unknown> = { id: randomUUID() };
      fk.columns.forEach((col, i) => {
        if (col.name !== 'tenant_id') overrides[col.name] = parent.rows.b[fk.foreignColumns[i]!.name];
      });
      return wrote(await c.tdbA.execute(insertSql(t(s), insertable(s, s.rows.a, overrides, true))), "inserted pointing at B's parent");
    },
  },
  {
    layer: 'scoped',
    name: 'unique-violation probing',
    na: (s) => (probeKey(s) ? undefined : 'n/a: no unique key of written columns besides the primary key'),
    // A's own duplicate: the unique key refuses it (23505), and the error names A's values, never B's.
    expected: () => refusedWith('23505'),
    secrets: (s, c) => [c.ids.b, String(s.rows.b.id)],
    run: async (s, c) => wrote(await c.tdbA.execute(insertSql(t(s), insertable(s, s.rows.a, { id: randomUUID() }))), 'inserted (no violation)'),
  },
  {
    layer: 'scoped',
    name: 'query_to_xml with set_config inside',
    expected: () => refusedByGuard('function'),
    run: async (s, c) => textWithout((await c.tdbA.execute<{ x: string }>(dsql`select query_to_xml(${hidden(s, c)}, true, false, '') as x`))[0]?.x, c, s, 'the XML'),
  },
  {
    layer: 'scoped',
    name: 'table_to_xml',
    expected: () => refusedByGuard('function'),
    run: async (s, c) => textWithout((await c.tdbA.execute<{ x: string }>(dsql`select table_to_xml(${s.name}, true, false, '') as x`))[0]?.x, c, s, 'the XML'),
  },
  {
    layer: 'scoped',
    name: 'query_to_xmlschema',
    expected: () => refusedByGuard('function'),
    run: async (s, c) => textWithout((await c.tdbA.execute<{ x: string }>(dsql`select query_to_xmlschema(${hidden(s, c)}, true, false, '') as x`))[0]?.x, c, s, 'the XML schema'),
  },
  {
    layer: 'scoped',
    name: 'ts_stat',
    expected: () => refusedByGuard('function'),
    run: async (s, c) => textWithout((await c.tdbA.execute<{ word: string }>(dsql`select word from ts_stat(${tsStatSql(s)})`)).map((r) => r.word).join(' '), c, s, 'the words'),
  },
  {
    layer: 'scoped',
    name: 'INSERT ... WITH on VALUES',
    na: noWritable,
    expected: () => refusedByGuard('unscoped'),
    run: async (s, c) => textWithout((await c.tdbA.execute<{ leaked: string }>(withLeakSql(s, c)))[0]?.leaked, c, s, 'the inserted row'),
  },
  {
    layer: 'scoped',
    name: 'column alias list',
    na: aliasNa,
    expected: () => refusedByGuard('statement'),
    // The table's columns renamed: "tenant_id" is now its second column, so the filter below is not on the tenant.
    run: async (s, c) => readRows(await c.tdbA.execute(dsql`select a, tenant_id from ${t(s)} as x(a, tenant_id) where tenant_id = ${c.ids.a}`), c, 'a'),
  },
  {
    layer: 'scoped',
    name: 'subquery in LIMIT/OFFSET',
    expected: () => refusedByGuard('unscoped'),
    run: async (s, c) => ({
      detail: `${(await c.tdbA.execute(dsql`select id from ${t(s)} where tenant_id = ${c.ids.a} limit (select count(*) from ${t(s)}) offset (select count(*) - count(*) from ${t(s)})`)).length} rows`,
    }),
  },

  // --- raw SQL as the app role (a stolen product-role password, or a guard bypass) -------------
  {
    layer: 'sql',
    name: 'read by id',
    rls: true,
    expected: () => getsNothing(),
    run: async (s, c) => readRows(await c.asA((tx) => tx`select * from ${tx(s.name)} where id = ${s.rows.b.id as string}`), c),
  },
  {
    layer: 'sql',
    name: 'read all',
    rls: true,
    expected: () => getsNothing(),
    run: async (s, c) => readRows(await c.asA((tx) => tx`select tenant_id from ${tx(s.name)}`), c),
  },
  {
    layer: 'sql',
    name: 'update by id',
    rls: true,
    expected: (s) => (s.may.update ? getsNothing() : DENIED),
    run: async (s, c) =>
      wrote(
        await c.asA((tx) => (s.writable ? tx`update ${tx(s.name)} set ${tx(s.writable)} = 'pwned' where id = ${s.rows.b.id as string}` : tx`update ${tx(s.name)} set id = id where id = ${s.rows.b.id as string}`)),
        'changed',
      ),
  },
  {
    layer: 'sql',
    name: 'delete by id',
    rls: true,
    expected: (s) => (s.may.delete ? getsNothing() : DENIED),
    run: async (s, c) => wrote(await c.asA((tx) => tx`delete from ${tx(s.name)} where id = ${s.rows.b.id as string}`), 'deleted'),
  },
  {
    layer: 'sql',
    name: "insert with the other tenant's id",
    rls: true,
    // A complete, valid row of B's: only the policy's WITH CHECK can refuse it.
    expected: () => RLS_REFUSED,
    run: async (s, c) => wrote(await c.asA((tx) => tx`insert into ${tx(s.name)} ${tx(jsonReady(bNewRow(s, c)))}`), 'inserted into B'),
  },
  {
    layer: 'sql',
    name: 'upsert (ON CONFLICT) onto the other row',
    rls: true,
    // DO UPDATE needs the UPDATE privilege first: an append-only table refuses it before any policy.
    expected: (s) => (s.may.update ? RLS_REFUSED : DENIED),
    run: async (s, c) => {
      const row = jsonReady({ ...writableRow(s.rows.b), tenant_id: c.ids.b });
      return wrote(
        await c.asA((tx) =>
          s.writable
            ? tx`insert into ${tx(s.name)} ${tx(row)} on conflict (tenant_id, id) do update set ${tx(s.writable)} = 'pwned'`
            : tx`insert into ${tx(s.name)} ${tx(row)} on conflict (tenant_id, id) do nothing`,
        ),
        'upserted',
      );
    },
  },
  {
    layer: 'sql',
    name: 'no tenant set',
    rls: true,
    expected: () => getsNothing(),
    run: async (s, c) => readRows(await c.asA((tx) => tx`select tenant_id from ${tx(s.name)}`, null), c),
  },
  {
    layer: 'sql',
    name: 'empty setting',
    rls: true,
    expected: () => getsNothing(),
    run: async (s, c) => readRows(await c.asA((tx) => tx`select tenant_id from ${tx(s.name)}`, ''), c),
  },
  {
    layer: 'sql',
    name: 'malformed setting',
    rls: true,
    expected: () => getsNothing(),
    run: async (s, c) => readRows(await c.asA((tx) => tx`select tenant_id from ${tx(s.name)}`, `${c.ids.b}' or true or '`), c),
  },
  {
    layer: 'sql',
    name: "the other tenant's bare id as the context",
    rls: true,
    expected: () => getsNothing(),
    run: async (s, c) => readRows(await c.asA((tx) => tx`select tenant_id from ${tx(s.name)}`, c.ids.b), c),
  },
  {
    layer: 'sql',
    name: "app.tenant_id set to the other tenant",
    rls: true,
    expected: () => getsNothing(),
    run: async (s, c) =>
      readRows(
        await c.asA(async (tx) => {
          await tx`select set_config('app.tenant_id', ${c.ids.b}, true)`;
          return tx`select tenant_id from ${tx(s.name)}`;
        }, null),
        c,
      ),
  },
  {
    layer: 'sql',
    name: "forged signed context (A's signature, B's id)",
    rls: true,
    expected: () => getsNothing(),
    run: async (s, c) => {
      const forged = c.contextA.replace(c.ids.a, c.ids.b);
      const [rows, changed] = await c.asA(async (tx) => {
        const read = await tx`select tenant_id from ${tx(s.name)}`;
        // (An append-only table refuses every UPDATE: the read alone is the attack there.)
        if (!s.may.update) return [read, { count: 0 }] as const;
        const update = await (s.writable ? tx`update ${tx(s.name)} set ${tx(s.writable)} = 'pwned' where id = ${s.rows.b.id as string}` : tx`update ${tx(s.name)} set id = id where id = ${s.rows.b.id as string}`);
        return [read, update] as const;
      }, forged);
      const ran = readRows(rows, c);
      const w = wrote(changed, 'changed');
      return { detail: `${ran.detail}; ${w.detail}`, leak: ran.leak ?? w.leak };
    },
  },
  {
    layer: 'sql',
    name: "the other tenant's context, expired",
    rls: true,
    expected: () => getsNothing(),
    run: async (s, c) => readRows(await c.asA((tx) => tx`select tenant_id from ${tx(s.name)}`, signTenantContext(c.key, c.ids.b, Math.floor(Date.now() / 1000) - 60)), c),
  },
  {
    layer: 'sql',
    name: "the other tenant's context, signed with another key",
    rls: true,
    expected: () => getsNothing(),
    run: async (s, c) => readRows(await c.asA((tx) => tx`select tenant_id from ${tx(s.name)}`, signTenantContext(`not-the-key-${randomUUID()}`, c.ids.b, Math.floor(Date.now() / 1000) + 600)), c),
  },
  {
    layer: 'sql',
    name: 'COPY',
    rls: true,
    expected: () => getsNothing(),
    run: async (s, c) => {
      const lines = await c.asA(async (tx) => {
        const stream = await tx`copy (select tenant_id from ${tx(s.name)}) to stdout`.readable();
        let text = '';
        for await (const chunk of stream) text += chunk.toString();
        return text.split('\n').filter(Boolean);
      });
      return readRows(lines.map((tenant_id) => ({ tenant_id })), c);
    },
  },
  {
    // TRUNCATE ignores row-level security: the app role must not have the privilege at all.
    layer: 'sql',
    name: 'TRUNCATE',
    expected: () => DENIED,
    run: async (s, c) => {
      await c.asA((tx) => tx`truncate ${tx(s.name)} cascade`);
      return { detail: 'TRUNCATED', leak: 'every tenant’s rows truncated' };
    },
  },
  {
    layer: 'sql',
    name: 'security_invoker view',
    rls: true,
    expected: () => getsNothing(),
    run: async (s, c) => {
      const view = `leak_view_${s.name}_${c.suffix}`;
      await c.owner.unsafe(`create view "${view}" with (security_invoker = true) as select * from "${s.name}"`);
      try {
        await c.owner.unsafe(`grant select on "${view}" to ${c.appRole}`);
        return readRows(await c.asA((tx) => tx`select tenant_id from ${tx(view)}`), c);
      } finally {
        await c.owner.unsafe(`drop view "${view}"`);
      }
    },
  },
  {
    layer: 'sql',
    name: 'SECURITY DEFINER function',
    rls: true,
    // The definer is the owner, whom FORCE binds: still A's rows only.
    expected: () => getsNothing(),
    run: async (s, c) => {
      const fn = `leak_fn_${s.name}_${c.suffix}`;
      await c.owner.unsafe(`create function "${fn}"() returns setof uuid language sql security definer as 'select tenant_id from "${s.name}"'`);
      try {
        await c.owner.unsafe(`grant execute on function "${fn}"() to ${c.appRole}`);
        return readRows(await c.asA((tx) => tx`select t as tenant_id from ${tx(fn)}() t`), c);
      } finally {
        await c.owner.unsafe(`drop function "${fn}"()`);
      }
    },
  },
  {
    layer: 'sql',
    name: 'setting left over after an error',
    rls: true,
    expected: () => getsNothing(),
    run: async (s, c) => {
      // Even B's valid context must not outlive the transaction that set it.
      await c.app
        .begin(async (tx) => {
          await c.setContext(tx, tenantContextValue(c.ids.b, c.key));
          await tx`select 1/0`;
        })
        .catch(() => undefined);
      return readRows(await c.app`select tenant_id from ${c.app(s.name)}`, c);
    },
  },
  {
    layer: 'sql',
    name: 'query_to_xml with set_config inside',
    expected: () => DENIED,
    run: async (s, c) => textWithout((await c.asA((tx) => tx<{ x: string }[]>`select query_to_xml(${hidden(s, c)}, true, false, '') as x`))[0]?.x, c, s, 'the XML'),
  },
  {
    layer: 'sql',
    name: 'table_to_xml',
    expected: () => DENIED,
    run: async (s, c) => textWithout((await c.asA((tx) => tx<{ x: string }[]>`select table_to_xml(${s.name}, true, false, '') as x`))[0]?.x, c, s, 'the XML'),
  },
  {
    layer: 'sql',
    name: 'query_to_xmlschema',
    expected: () => DENIED,
    run: async (s, c) => textWithout((await c.asA((tx) => tx<{ x: string }[]>`select query_to_xmlschema(${hidden(s, c)}, true, false, '') as x`))[0]?.x, c, s, 'the XML schema'),
  },
  {
    layer: 'sql',
    name: 'ts_stat',
    expected: () => DENIED,
    run: async (s, c) => textWithout((await c.asA((tx) => tx<{ word: string }[]>`select word from ts_stat(${tsStatSql(s)})`)).map((r) => r.word).join(' '), c, s, 'the words'),
  },
  {
    layer: 'sql',
    name: 'INSERT ... WITH on VALUES',
    rls: true,
    na: noWritable,
    expected: () => getsNothing(),
    run: async (s, c) => {
      const built = dialect.sqlToQuery(withLeakSql(s, c));
      const rows = await c.asA((tx) => tx.unsafe<{ leaked: string }[]>(built.sql, built.params as never[]));
      return textWithout(rows[0]?.leaked, c, s, 'the inserted row');
    },
  },
  {
    layer: 'sql',
    name: 'column alias list',
    rls: true,
    na: aliasNa,
    expected: () => getsNothing(),
    run: async (s, c) => readRows(await c.asA((tx) => tx.unsafe(`select a, tenant_id from "${s.name}" as x(a, tenant_id)`)), c, 'a'),
  },
  {
    layer: 'sql',
    name: 'subquery in LIMIT/OFFSET',
    rls: true,
    expected: () => getsNothing(),
    run: async (s, c) => {
      const rows = await c.asA((tx) => tx<{ n: number }[]>`select (select count(*)::int from ${tx(s.name)}) as n from ${tx(s.name)} limit (select count(*) from ${tx(s.name)})`).catch((error: { code?: string }) => {
        // Citus plans it over every shard (the filter is RLS's alone) and refuses a sub-select in LIMIT there.
        if (c.citus && error.code === '0A000') return null;
        throw error;
      });
      if (rows === null) return { detail: 'Citus refused it (0A000: subquery in LIMIT over several shards): nothing returned' };
      const [all] = await c.asOwner(c.ids.a, (tx) => tx<{ n: number }[]>`select count(*)::int as n from ${tx(s.name)} where tenant_id = ${c.ids.a}`);
      const seen = rows[0]?.n ?? 0;
      return { detail: `${rows.length} rows, the sub-select counted ${seen} (A has ${all!.n})`, leak: seen > all!.n || rows.length > all!.n ? 'the sub-select counted rows of other tenants' : undefined };
    },
  },
];

/** Attacks on the platform rather than on one table: run once per run, under PLATFORM. */
const PLATFORM_ATTACKS: readonly PlatformAttack[] = [
  // --- through the scoped client: the guard's allow-list -----------------------------------------
  { layer: 'scoped', name: 'read sessions.token', expected: refusedByGuard('relation'), run: async (c) => ({ detail: `${(await c.tdbA.execute(dsql`select token from sessions`)).length} session tokens` }) },
  { layer: 'scoped', name: 'read accounts.password', expected: refusedByGuard('relation'), run: async (c) => ({ detail: `${(await c.tdbA.execute(dsql`select password from accounts`)).length} password hashes` }) },
  {
    layer: 'scoped',
    name: 'update users set is_platform_admin',
    expected: refusedByGuard('relation'),
    run: async (c) => wrote(await c.tdbA.execute(dsql`update users set is_platform_admin = true where id = ${c.users.a}`), 'made platform admin'),
  },
  {
    layer: 'scoped',
    name: "read the other tenant's memberships",
    expected: refusedByGuard('relation'),
    run: async (c) => readRows(await c.tdbA.execute(dsql`select tenant_id from memberships where tenant_id = ${c.ids.b}`), c),
  },
  { layer: 'scoped', name: 'read the job queue', expected: refusedByGuard('relation'), run: async (c) => ({ detail: `${(await c.tdbA.execute(dsql`select data from studio_jobs.job`)).length} jobs` }) },
  {
    layer: 'scoped',
    name: 'insert a job',
    expected: refusedByGuard('relation'),
    run: async (c) => wrote(await c.tdbA.execute(dsql`insert into studio_jobs.job (name, data) values ('leak-kit', ${JSON.stringify({ tenantId: c.ids.b })})`), 'inserted'),
  },
  { layer: 'scoped', name: 'studio_jobs.delete_queue', expected: refusedByGuard('function'), run: async (c) => ({ detail: `delete_queue ran (${(await c.tdbA.execute(dsql`select studio_jobs.delete_queue('leak-kit')`)).length})` }) },
  {
    layer: 'scoped',
    name: "the other tenant's audit-seal advisory lock",
    expected: refusedByGuard('function'),
    run: async (c) => {
      await c.tdbA.execute(dsql`select pg_advisory_lock(hashtextextended(${`studio.audit:${c.ids.b}`}, 0))`);
      return { detail: "took B's seal lock", leak: "held B's audit-seal lock" };
    },
  },
  {
    layer: 'scoped',
    name: 'alter role: read-only by default',
    expected: refusedByGuard('statement'),
    run: async (c) => {
      // Per database (IN DATABASE): were it let through, other databases of the server are untouched, and it is undone below.
      const name = await databaseOf(c.app);
      try {
        await c.tdbA.execute(dsql.raw(`alter role current_user in database "${name}" set default_transaction_read_only = on`));
      } finally {
        await c.app.unsafe(`alter role current_user in database "${name}" reset default_transaction_read_only`).catch(() => undefined);
      }
      return { detail: 'ALTER ROLE ran', leak: "changed the product role's settings" };
    },
  },
  {
    layer: 'scoped',
    name: 'pg_stat_user_tables row counts',
    expected: refusedByGuard('relation'),
    run: async (c) => ({ detail: `${(await c.tdbA.execute(dsql`select relname, n_live_tup from pg_stat_user_tables`)).length} tables' row counts` }),
  },
  { layer: 'scoped', name: 'pg_stat_activity', expected: refusedByGuard('relation'), run: async (c) => ({ detail: `${(await c.tdbA.execute(dsql`select query from pg_stat_activity`)).length} sessions' queries` }) },
  {
    layer: 'scoped',
    name: 'create a temp table',
    expected: refusedByGuard('statement'),
    run: async (c) => {
      await c.tdbA.execute(dsql.raw(`create temp table leak_kit_${c.suffix} (x int)`));
      return { detail: 'temp table created' };
    },
  },
  { layer: 'scoped', name: 'pg_notify', expected: refusedByGuard('function'), run: async (c) => ({ detail: `pg_notify ran (${(await c.tdbA.execute(dsql`select pg_notify('leak_kit', ${c.ids.b})`)).length})` }) },

  // --- raw SQL as the app role: what the database itself refuses ---------------------------------
  { layer: 'sql', name: 'read sessions.token', expected: DENIED, run: async (c) => ({ detail: `${(await c.app`select token from sessions`).length} session tokens` }) },
  { layer: 'sql', name: 'read accounts.password', expected: DENIED, run: async (c) => ({ detail: `${(await c.app`select password from accounts`).length} password hashes` }) },
  {
    layer: 'sql',
    name: 'update users set is_platform_admin',
    expected: DENIED,
    run: async (c) => wrote(await c.asA((tx) => tx`update users set is_platform_admin = true where id = ${c.users.a}`), 'made platform admin'),
  },
  {
    layer: 'sql',
    name: "read the other tenant's memberships",
    expected: getsNothing(),
    run: async (c) => readRows(await c.asA((tx) => tx`select tenant_id from memberships`), c),
  },
  {
    layer: 'sql',
    name: "read the other tenant's users",
    expected: getsNothing(),
    run: async (c) => {
      const rows = await c.asA((tx) => tx<{ id: string }[]>`select id from users where id in (${c.users.a}, ${c.users.b})`);
      const theirs = rows.filter((r) => r.id === c.users.b).length;
      return { detail: `${rows.length} users (A's own: ${rows.length - theirs})`, leak: theirs ? "B's member" : undefined };
    },
  },
  { layer: 'sql', name: 'read the job queue', na: queueNa, expected: DENIED, run: async (c) => ({ detail: `${(await c.app`select data from studio_jobs.job`).length} jobs` }) },
  {
    layer: 'sql',
    name: 'insert a job',
    na: queueNa,
    expected: DENIED,
    run: async (c) => wrote(await c.app`insert into studio_jobs.job (name, data) values ('leak-kit', ${c.app.json({ tenantId: c.ids.b })})`, 'inserted'),
  },
  { layer: 'sql', name: 'studio_jobs.delete_queue', na: queueNa, expected: DENIED, run: async (c) => ({ detail: `delete_queue ran (${(await c.app`select studio_jobs.delete_queue('leak-kit')`).length})` }) },
  {
    layer: 'sql',
    name: "the other tenant's audit-seal advisory lock",
    expected: DENIED,
    run: async (c) => {
      try {
        await c.app`select pg_advisory_lock(hashtextextended(${`studio.audit:${c.ids.b}`}, 0))`;
      } finally {
        await c.app`select pg_advisory_unlock_all()`.catch(() => undefined);
      }
      return { detail: "took B's seal lock", leak: "held B's audit-seal lock" };
    },
  },
  {
    layer: 'sql',
    name: 'alter role: read-only by default',
    // A role may always change its own defaults: the scoped client's pools pin the settings in
    // their startup packet, and on Citus also as SET LOCAL in each block, which Citus replays on
    // the workers (its connections there are its own): a new pool still writes, in time.
    expected: getsNothing('a new scoped pool still writes (the settings are pinned at connect, and per block on Citus)'),
    run: async (c) => {
      const name = await databaseOf(c.app);
      try {
        await c.app.unsafe(`alter role current_user in database "${name}" set default_transaction_read_only = on`);
        await c.app.unsafe(`alter role current_user in database "${name}" set statement_timeout = 1`);
      } catch (error) {
        if ((error as { code?: string }).code === '42501') return { detail: 'ALTER ROLE refused (42501)' };
        throw error;
      }
      const fresh = createDatabase({ url: c.options.appUrl, mode: c.options.mode ?? 'rls', contextKey: c.key, tenantCache: { listen: false } });
      try {
        const s = c.seeded.find((x) => x.may.update) ?? c.seeded[0]!;
        const tdb = await fresh.tenant(c.ids.a);
        const result = await tdb.execute(dsql`update ${t(s)} set ${s.writable ? dsql`${dsql.identifier(s.writable)} = ${dsql.identifier(s.writable)}` : dsql`id = id`} where tenant_id = ${c.ids.a} and id = ${s.rows.a.id as string}`);
        return { detail: `ALTER ROLE ran; a new scoped pool still wrote (${result.count ?? 0} row of A's updated)` };
      } finally {
        await fresh.close();
        await c.app.unsafe(`alter role current_user in database "${name}" reset default_transaction_read_only`);
        await c.app.unsafe(`alter role current_user in database "${name}" reset statement_timeout`);
      }
    },
  },
  { layer: 'sql', name: 'pg_stat_user_tables row counts', expected: DENIED, run: async (c) => ({ detail: `${(await c.app`select relname, n_live_tup from pg_stat_user_tables`).length} tables' row counts` }) },
  { layer: 'sql', name: 'pg_stat_activity', expected: DENIED, run: async (c) => ({ detail: `${(await c.app`select query from pg_stat_activity`).length} sessions' queries` }) },
  {
    layer: 'sql',
    name: 'create a temp table',
    expected: DENIED,
    run: async (c) => {
      await c.app.unsafe(`create temp table leak_kit_${c.suffix} (x int)`);
      await c.app.unsafe(`drop table leak_kit_${c.suffix}`);
      return { detail: 'temp table created' };
    },
  },
  { layer: 'sql', name: 'pg_notify', expected: DENIED, run: async (c) => ({ detail: `pg_notify ran (${(await c.app`select pg_notify('leak_kit', ${c.ids.b})`).length})` }) },
];

function queueNa(c: Ctx): string | undefined {
  return c.hasQueue ? undefined : 'n/a: this database has no job queue (schema studio_jobs)';
}

function aliasNa(s: Seeded): string | undefined {
  return getTableConfig(s.table).columns[0]?.name === 'tenant_id' ? undefined : 'n/a: tenant_id is not the first column';
}

function tenantParent(s: Seeded, c: Ctx) {
  const fk = getTableConfig(s.table)
    .foreignKeys.map((f) => f.reference())
    .find((ref) => c.seeded.some((p) => p.table === ref.foreignTable));
  return fk ? { fk, parent: c.seeded.find((p) => p.table === fk.foreignTable)! } : undefined;
}

/** The unique key a duplicate of A's row violates: the first whose columns the kit writes (not ones the database fills). */
function probeKey(s: Seeded) {
  return getTableConfig(s.table).uniqueConstraints.find((u) => u.columns.every((col) => !GENERATED.has(col.name) && s.rows.a[col.name] !== null));
}

async function databaseOf(sql: postgres.Sql): Promise<string> {
  const [row] = await sql<{ name: string }[]>`select current_database() as name`;
  return row!.name;
}

/** A context value an attack may send that is not a signed one but still safe to put in SQL text (a bare uuid, '', ...). */
const PLAIN_CONTEXT_VALUE = /^[0-9A-Za-z.-]*$/;

/**
 * How the kit sets app.tenant_context inside a transaction block: the prepared `set_config` on
 * plain Postgres; on Citus, where `set_config` never reaches the workers, `SET LOCAL` as the
 * executor sends it (the connections carry `citus.propagate_set_commands = local`). A signed value
 * goes through `setLocalTenantContextSql`; an attack's unsigned value only when it is letters,
 * digits, dots and hyphens, and anything else (an injection attempt) stays a `set_config`, which
 * on Citus reaches the coordinator only: the workers see no context at all, the stricter case.
 */
function contextSetter(citus: boolean): (tx: postgres.TransactionSql, value: string) => Promise<unknown> {
  if (!citus) return (tx, value) => tx.unsafe(SET_TENANT_CONTEXT_SQL, [value]);
  return (tx, value) => {
    if (TENANT_CONTEXT_VALUE.test(value)) return tx.unsafe(setLocalTenantContextSql(value));
    if (PLAIN_CONTEXT_VALUE.test(value)) return tx.unsafe(`SET LOCAL app.tenant_context = '${value}'`);
    return tx.unsafe(SET_TENANT_CONTEXT_SQL, [value]);
  };
}


/** The attacks by layer and the names each runs under: tenant tables by name, and PLATFORM. */
export const ATTACKS: Record<Layer, readonly string[]> = {
  scoped: TABLE_ATTACKS.filter((a) => a.layer === 'scoped').map((a) => a.name),
  sql: TABLE_ATTACKS.filter((a) => a.layer === 'sql').map((a) => a.name),
  http: [
    "list on one's own host",
    "one's credentials on the other's host",
    "the other's row by id",
    'tenant header spoofed',
    "create with the other tenant's id",
    "create pointing at the other's rows",
  ],
};

/** The attacks run once per run under PLATFORM, by layer. */
export const PLATFORM_ATTACKS_BY_LAYER: Record<'scoped' | 'sql', readonly string[]> = {
  scoped: PLATFORM_ATTACKS.filter((a) => a.layer === 'scoped').map((a) => a.name),
  sql: PLATFORM_ATTACKS.filter((a) => a.layer === 'sql').map((a) => a.name),
};

/** A value a column accepts: the same for both tenants, so unique keys must be per tenant. */
function valueFor(column: PgColumn): unknown {
  const c = column as PgColumn & { enumValues?: string[] };
  if (c.enumValues?.length) return c.enumValues[0];
  switch (column.dataType) {
    case 'number':
    case 'bigint':
      return 1;
    case 'boolean':
      return false;
    case 'date':
      return new Date();
    case 'json':
      return {};
    default:
      if (column.getSQLType() === 'uuid') return randomUUID();
      if (column.getSQLType() === 'date') return '2026-01-01';
      return `probe-${column.name}`;
  }
}

export async function runIsolationMatrix(options: MatrixOptions): Promise<AttackResult[]> {
  const schema = options.schema ?? (defaultSchema as Record<string, unknown>);
  const key = options.contextKey ?? tenantContextKey();
  // The startup parameter is a harmless placeholder on plain Postgres; on Citus it lets SET LOCAL reach the workers.
  const owner = postgres(options.ownerUrl, { max: 1, onnotice: () => {}, connection: { ...CITUS_PROPAGATE_SET_COMMANDS } });
  const app = postgres(options.appUrl, { max: 1, onnotice: () => {}, connection: { ...CITUS_PROPAGATE_SET_COMMANDS } });
  const citus = await isCitus(owner);
  const setContext = contextSetter(citus);
  /** Runs `fn` as `sql`'s role with a tenant's signed context (FORCE RLS binds the owner too). */
  const asTenant = <T>(sql: postgres.Sql, tenantId: string, key: string, fn: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> =>
    sql.begin(async (tx) => {
      await setContext(tx, tenantContextValue(tenantId, key));
      return fn(tx);
    }) as Promise<T>;
  const db: Database = createDatabase({ url: options.appUrl, mode: options.mode ?? 'rls', contextKey: key, tenantCache: { listen: false } });
  const results: AttackResult[] = [];
  const suffix = randomUUID().slice(0, 8);
  try {
    // Two fresh tenants (on the default plan, created if the database has none yet).
    await owner`insert into plans (id, name, max_members) values ('free', 'Free', 3) on conflict do nothing`;
    const [a, b] = await owner<{ id: string }[]>`
      insert into tenants (slug, name) values (${`leak-a-${suffix}`}, 'Leak kit A'), (${`leak-b-${suffix}`}, 'Leak kit B') returning id`;
    const ids = { a: a!.id, b: b!.id };

    // Seed one row per tenant per table, parents first.
    const seeded: Seeded[] = [];
    for (const table of tenantTablesOf(schema)) {
      const config = getTableConfig(table);
      const kind = getTableKind(table) as { kind: 'tenant'; rls: boolean };
      const rows = { a: {}, b: {} } as Seeded['rows'];
      for (const who of ['a', 'b'] as const) {
        const row: Record<string, unknown> = { tenant_id: ids[who], id: randomUUID() };
        // Every NOT NULL column, and the columns of unique keys (for the unique-violation probe).
        const uniqueColumns = new Set(config.uniqueConstraints.flatMap((u) => u.columns.map((col) => col.name)));
        for (const column of config.columns) {
          if (column.name in row || column.hasDefault || GENERATED.has(column.name)) continue;
          if (column.notNull || uniqueColumns.has(column.name)) row[column.name] = valueFor(column);
        }
        for (const fk of config.foreignKeys) {
          const ref = fk.reference();
          const parent = seeded.find((s) => s.table === ref.foreignTable);
          if (!parent) continue;
          ref.columns.forEach((col, i) => {
            if (col.name !== 'tenant_id') row[col.name] = parent.rows[who][ref.foreignColumns[i]!.name];
          });
        }
        const [inserted] = await asTenant(owner, ids[who], key, (tx) => tx`insert into ${tx(config.name)} ${tx(row)} returning *`);
        rows[who] = inserted as Record<string, unknown>;
      }
      const writable = config.columns.find((c) => c.getSQLType() === 'text' && !['id', 'tenant_id'].includes(c.name))?.name;
      const [may] = await app<{ update: boolean; delete: boolean }[]>`
        select has_table_privilege(current_user, ${config.name}, 'UPDATE') as update, has_table_privilege(current_user, ${config.name}, 'DELETE') as delete`;
      seeded.push({ table, name: config.name, rls: kind.rls, rows, writable, may: may! });
    }

    // A member of each tenant (the owner is not bound by the users and memberships policies).
    const users = { a: randomUUID(), b: randomUUID() };
    for (const who of ['a', 'b'] as const) {
      await owner`insert into users (id, name, email) values (${users[who]}, ${`Leak kit ${who.toUpperCase()}`}, ${`leak-${who}-${suffix}@kit.test`})`;
      await owner`insert into memberships (tenant_id, user_id) values (${ids[who]}, ${users[who]})`;
    }
    const [queue] = await owner<{ present: boolean }[]>`select to_regnamespace('studio_jobs') is not null as present`;

    const ctx: Ctx = {
      ids,
      tdbA: await db.tenant(ids.a),
      app,
      owner,
      seeded,
      suffix,
      key,
      options,
      contextA: tenantContextValue(ids.a, key),
      appRole: `"${(await app<{ u: string }[]>`select current_user as u`)[0]!.u}"`,
      users,
      hasQueue: queue!.present,
      citus,
      setContext,
      asOwner: (tenantId, fn) => asTenant(owner, tenantId, key, fn),
      asA: (fn, context) =>
        app.begin(async (tx) => {
          const value = context === undefined ? tenantContextValue(ids.a, key) : context;
          if (value !== null) await setContext(tx, value);
          return fn(tx);
        }) as never,
    };

    const readB = async (s: Seeded) => {
      const [row] = await asTenant(owner, ids.b, key, (tx) => tx`select * from ${tx(s.name)} where id = ${s.rows.b.id as string}`);
      return row as Record<string, unknown> | undefined;
    };
    const bRowIntact = async (s: Seeded) => {
      const row = await readB(s);
      return row !== undefined && JSON.stringify(row) === JSON.stringify(s.rows.b);
    };
    /** After an attack changed B's row: put it back, so the next attack is judged on its own. */
    const restoreB = async (s: Seeded) => {
      const original = jsonReady(writableRow(s.rows.b));
      await asTenant(owner, ids.b, key, async (tx) => {
        const { id: _id, tenant_id: _tenant, ...rest } = original;
        const updated = Object.keys(rest).length ? await tx`update ${tx(s.name)} set ${tx(rest)} where id = ${s.rows.b.id as string}` : { count: 0 };
        if (updated.count === 0 && !(await tx`select 1 from ${tx(s.name)} where id = ${s.rows.b.id as string}`).length) await tx`insert into ${tx(s.name)} ${tx(original)}`;
      });
      const row = await readB(s);
      if (row) s.rows.b = row;
    };
    const record = (table: string, layer: Layer, attack: string, pass: boolean, outcome: string, expected?: string) =>
      results.push({ table, layer, attack, pass, outcome, expected });

    const wanted = (name: string) => !options.tables || options.tables.includes(name);
    for (const s of seeded.filter((x) => wanted(x.name))) {
      for (const attack of TABLE_ATTACKS) {
        const na = attack.rls && !s.rls ? 'n/a: this table runs without RLS (app mode: the guard is its layer)' : attack.na?.(s, ctx);
        if (na) {
          record(s.name, attack.layer, attack.name, true, na, 'n/a');
          continue;
        }
        const expected = attack.expected(s);
        const outcome = await attempt(() => attack.run(s, ctx));
        const bIntact = await bRowIntact(s);
        const verdict = judge(expected, outcome, { bIntact, secrets: attack.secrets?.(s, ctx) });
        record(s.name, attack.layer, attack.name, verdict.pass, verdict.outcome, describeExpected(expected));
        if (!bIntact) await restoreB(s);
      }
    }

    if (options.platform !== false) {
      for (const attack of PLATFORM_ATTACKS) {
        const na = attack.na?.(ctx);
        if (na) {
          record(PLATFORM, attack.layer, attack.name, true, na, 'n/a');
          continue;
        }
        const outcome = await attempt(() => attack.run(ctx));
        const verdict = judge(attack.expected, outcome);
        record(PLATFORM, attack.layer, attack.name, verdict.pass, verdict.outcome, describeExpected(attack.expected));
      }
    }

    if (options.http) {
      const [ta, tb] = await owner<KitTenant[]>`select id, slug from tenants where id in (${ids.a}, ${ids.b}) order by slug`;
      await attackHttp(options.http, { a: ta!, b: tb! }, seeded, (s, layer, attack, pass, outcome) => record(s.name, layer, attack, pass, outcome), async (s) => bRowIntact(s));
    }
    return results;
  } finally {
    await db.close();
    await app.end({ timeout: 5 });
    await owner.end({ timeout: 5 });
  }
}

/** Columns the database fills itself (defaults, the audit chain's trigger). */
const GENERATED = new Set(['created_at', 'updated_at', 'seq', 'prev_hash', 'hash']);

/** A seeded row, ready to insert again: generated columns dropped. */
function writableRow(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([k, v]) => !GENERATED.has(k) && v !== null));
}

/** JSON columns as text for postgres.js's insert helper (it sends objects as-is otherwise). */
function jsonReady(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v !== null && typeof v === 'object' && !(v instanceof Date) && !Array.isArray(v) ? JSON.stringify(v) : v]));
}

/** The row with `overrides`, and with fresh text values when `fresh` (so unique keys do not collide). */
function insertable(s: Seeded, base: Record<string, unknown>, overrides: Record<string, unknown>, fresh = false): Record<string, unknown> {
  const row = writableRow(base);
  if (fresh) {
    for (const c of getTableConfig(s.table).columns) {
      if (c.getSQLType() === 'text' && c.name in row && !(c.name in overrides) && !(c as { enumValues?: string[] }).enumValues?.length) {
        row[c.name] = `probe-${randomUUID().slice(0, 8)}`;
      }
    }
  }
  return { ...row, ...overrides };
}

/** One parameter (drizzle would spread an array into a list): dates as ISO text, arrays as array literals, JSON as text. */
function sqlValue(v: unknown): ReturnType<typeof dsql.param> {
  if (v instanceof Date) return dsql.param(v.toISOString());
  if (Array.isArray(v)) return dsql.param(`{${v.map((x) => JSON.stringify(String(x))).join(',')}}`);
  if (v !== null && typeof v === 'object') return dsql.param(JSON.stringify(v));
  return dsql.param(v);
}

/** A column's SQL type, for a cast. */
function sqlTypeOf(s: Seeded, column: string): string {
  const c = getTableConfig(s.table).columns.find((x) => x.name === column);
  if (!c) throw new Error(`${s.name}.${column}: not a column of the schema`);
  return c.getSQLType();
}

function insertSql(table: ReturnType<typeof dsql.identifier>, row: Record<string, unknown>) {
  const cols = Object.keys(row);
  return dsql`insert into ${table} (${dsql.join(
    cols.map((c) => dsql.identifier(c)),
    dsql`, `,
  )}) values (${dsql.join(
    cols.map((c) => dsql`${sqlValue(row[c])}`),
    dsql`, `,
  )})`;
}

/** The http layer: A's credentials against the product's routes, looking for B's row. */
async function attackHttp(
  http: HttpTarget,
  tenants: { a: KitTenant; b: KitTenant },
  seeded: readonly Seeded[],
  record: (s: Seeded, layer: Layer, attack: string, pass: boolean, outcome: string) => void,
  bRowIntact: (s: Seeded) => Promise<boolean>,
): Promise<void> {
  const credentials = await http.credentials(tenants.a);
  // node:http rather than fetch: the Host header is the tenant (fetch may not set it), and
  // <slug>.localhost is dialled on loopback (Chromium does so; the OS resolver may not).
  const call = (origin: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const url = new URL(path, origin);
      const hostname = url.hostname === 'localhost' || url.hostname.endsWith('.localhost') ? '127.0.0.1' : url.hostname;
      const request = nodeHttp.request(
        { host: hostname, port: url.port || 80, path: `${url.pathname}${url.search}`, method: init.method ?? 'GET', headers: { host: url.host, accept: 'application/json', ...credentials, ...init.headers } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (c: Buffer) => chunks.push(c));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(init.body);
    });
  const show = (r: { status: number; text: string }) => `${r.status} ${r.text.slice(0, 80)}`;
  for (const route of http.routes) {
    const s = seeded.find((x) => x.name === route.table);
    if (!s) throw new Error(`http route ${route.list}: ${route.table} is not a tenant table of the schema`);
    const bId = String(s.rows.b.id);
    const aId = String(s.rows.a.id);
    const leaks = (text: string) => text.includes(bId);

    const own = await call(http.origin(tenants.a), route.list);
    record(s, 'http', "list on one's own host", own.status === 200 && !leaks(own.text) && own.text.includes(aId), own.status === 200 ? (leaks(own.text) ? "B's row listed" : own.text.includes(aId) ? "A's row only" : "A's row missing: the route does not list it") : show(own));

    const cross = await call(http.origin(tenants.b), route.list);
    record(s, 'http', "one's credentials on the other's host", cross.status >= 400 && cross.status < 500 && !leaks(cross.text), show(cross));

    if (route.byId) {
      const byId = await call(http.origin(tenants.a), `${route.list}${route.byId(bId)}`);
      record(s, 'http', "the other's row by id", byId.status < 500 && !leaks(byId.text), byId.status === 200 ? (leaks(byId.text) ? "B's row returned" : 'empty answer') : show(byId));
    }

    const spoofed = await call(http.origin(tenants.a), route.list, { headers: { [http.tenantHeader ?? 'x-tenant-id']: tenants.b.id } });
    record(s, 'http', 'tenant header spoofed', spoofed.status < 500 && !leaks(spoofed.text), spoofed.status === 200 ? (leaks(spoofed.text) ? "B's rows" : "A's rows or none") : show(spoofed));

    if (route.create) {
      const body = { ...route.create(s.rows.a), tenantId: tenants.b.id, tenant_id: tenants.b.id };
      const created = await call(http.origin(tenants.a), route.list, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      // Refused (4xx), or created in A: either way B's rows are untouched and B did not get a row.
      const bIntact = await bRowIntact(s);
      record(s, 'http', "create with the other tenant's id", created.status < 500 && bIntact && !created.text.includes(tenants.b.id), show(created));
      // The body built from B's row: its references (a parent of B's) must not be accepted from A.
      const pointing = await call(http.origin(tenants.a), route.list, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(route.create(s.rows.b)) });
      record(s, 'http', "create pointing at the other's rows", pointing.status >= 400 && pointing.status < 500 && (await bRowIntact(s)), show(pointing));
    }
  }
}
