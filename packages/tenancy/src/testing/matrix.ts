/**
 * The leak test kit's engine: for every tenant table of a schema, seed one row for each of two
 * fresh tenants, then attack B's row from A's context through every layer, and record what
 * happened. Framework-free, so a test runner and the isolation report share it.
 */
import { randomUUID } from 'node:crypto';
import nodeHttp from 'node:http';
import * as defaultSchema from '@studio/db-schema/schema';
import { getTableKind } from '@studio/db-schema/table-kinds';
import { sql as dsql } from 'drizzle-orm';
import { getTableConfig, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import { createDatabase, type Database } from '../database';
import type { TenantDb } from '../scoped/tenant-db';
import { tenantTablesOf } from '../tables';

export { tenantTablesOf };

export type Layer = 'scoped' | 'sql' | 'http';
export interface AttackResult {
  table: string;
  layer: Layer;
  attack: string;
  /** true: the attack got nothing of B's and changed nothing of B's. */
  pass: boolean;
  /** What happened, for the report. */
  outcome: string;
}

export interface MatrixOptions {
  /** The owner role's URL (seeds rows behind the scoped client's back; FORCE RLS binds it too). */
  ownerUrl: string;
  /** The app role's URL: every attack runs as the app. */
  appUrl: string;
  /** The schema module (default: @studio/db-schema/schema). */
  schema?: Record<string, unknown>;
  mode?: 'rls' | 'app';
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
}

/** The attacks, by layer; every one is run on every tenant table (RLS-only ones on RLS tables). */
export const ATTACKS: Record<Layer, readonly string[]> = {
  scoped: [
    'read by id',
    'count and aggregate',
    'update by id',
    'delete by id',
    "insert with the other tenant's id",
    'upsert (ON CONFLICT) onto the other row',
    'raw SQL without the tenant filter',
    'session-level set_config',
    "foreign key into the other's parent",
    'unique-violation probing',
  ],
  sql: [
    'read by id',
    'read all',
    'update by id',
    'delete by id',
    "insert with the other tenant's id",
    'upsert (ON CONFLICT) onto the other row',
    'no tenant set',
    'empty setting',
    'malformed setting',
    'COPY',
    'TRUNCATE',
    'security_invoker view',
    'SECURITY DEFINER function',
    'setting left over after an error',
  ],
  http: [
    "list on one's own host",
    "one's credentials on the other's host",
    "the other's row by id",
    'tenant header spoofed',
    "create with the other tenant's id",
    "create pointing at the other's rows",
  ],
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
  const owner = postgres(options.ownerUrl, { max: 1, onnotice: () => {} });
  const app = postgres(options.appUrl, { max: 1, onnotice: () => {} });
  const db: Database = createDatabase({ url: options.appUrl, mode: options.mode ?? 'rls', tenantCache: { listen: false } });
  const results: AttackResult[] = [];
  const suffix = randomUUID().slice(0, 8);
  try {
    // Two fresh tenants (on the default plan, created if the database has none yet).
    await owner`insert into plans (id, name, max_members) values ('free', 'Free', 3) on conflict do nothing`;
    const [a, b] = await owner<{ id: string }[]>`
      insert into tenants (slug, name) values (${`leak-a-${suffix}`}, 'Leak kit A'), (${`leak-b-${suffix}`}, 'Leak kit B') returning id`;
    const ids = { a: a!.id, b: b!.id };
    const asTenant = <T>(sql: postgres.Sql, tenantId: string, fn: (tx: postgres.TransactionSql) => Promise<T>) =>
      sql.begin(async (tx) => {
        await tx`select set_config('app.tenant_id', ${tenantId}, true)`;
        return fn(tx);
      }) as Promise<T>;

    // Seed one row per tenant per table, parents first.
    const seeded: Seeded[] = [];
    for (const table of tenantTablesOf(schema)) {
      const config = getTableConfig(table);
      const kind = getTableKind(table) as { kind: 'tenant'; rls: boolean };
      const rows = { a: {}, b: {} } as Seeded['rows'];
      for (const who of ['a', 'b'] as const) {
        const row: Record<string, unknown> = { tenant_id: ids[who], id: randomUUID() };
        for (const column of config.columns) {
          if (column.name in row || column.hasDefault || !column.notNull) continue;
          row[column.name] = valueFor(column);
        }
        for (const fk of config.foreignKeys) {
          const ref = fk.reference();
          const parent = seeded.find((s) => s.table === ref.foreignTable);
          if (!parent) continue;
          ref.columns.forEach((col, i) => {
            if (col.name !== 'tenant_id') row[col.name] = parent.rows[who][ref.foreignColumns[i]!.name];
          });
        }
        const [inserted] = await asTenant(owner, ids[who], (tx) => tx`insert into ${tx(config.name)} ${tx(row)} returning *`);
        rows[who] = inserted as Record<string, unknown>;
      }
      const writable = config.columns.find((c) => c.getSQLType() === 'text' && !['id', 'tenant_id'].includes(c.name))?.name;
      seeded.push({ table, name: config.name, rls: kind.rls, rows, writable });
    }

    const tdbA: TenantDb = await db.tenant(ids.a);
    const bRowIntact = async (s: Seeded) => {
      const [row] = await asTenant(owner, ids.b, (tx) => tx`select * from ${tx(s.name)} where id = ${s.rows.b.id as string}`);
      return row !== undefined && JSON.stringify(row) === JSON.stringify(s.rows.b);
    };
    const record = (s: Seeded, layer: Layer, attack: string, pass: boolean, outcome: string) =>
      results.push({ table: s.name, layer, attack, pass, outcome });
    const attempt = async <T>(fn: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: Error }> => {
      try {
        return { ok: true, value: await fn() };
      } catch (error) {
        return { ok: false, error: error as Error };
      }
    };
    const describeError = (e: Error) => `refused: ${(e as { code?: string }).code ?? e.name}`;

    for (const s of seeded) {
      const t = dsql.identifier(s.name);
      const bId = s.rows.b.id as string;
      // --- through the scoped client ---------------------------------------------------------
      {
        const r = await attempt(() => tdbA.execute(dsql`select * from ${t} where tenant_id = ${ids.a} and id = ${bId}`));
        record(s, 'scoped', 'read by id', r.ok ? r.value.length === 0 : true, r.ok ? `${r.value.length} rows` : describeError(r.error));
      }
      {
        const r = await attempt(() => tdbA.execute<{ tenant_id: string; n: number }>(dsql`select tenant_id, count(*)::int as n from ${t} where tenant_id = ${ids.a} group by tenant_id`));
        const pass = r.ok ? r.value.every((row) => row.tenant_id === ids.a) : true;
        record(s, 'scoped', 'count and aggregate', pass, r.ok ? `${r.value.length} group(s), all A's: ${pass}` : describeError(r.error));
      }
      {
        const set = s.writable ? dsql`${dsql.identifier(s.writable)} = 'pwned'` : dsql`id = id`;
        const r = await attempt(() => tdbA.execute(dsql`update ${t} set ${set} where tenant_id = ${ids.a} and id = ${bId}`));
        const intact = await bRowIntact(s);
        record(s, 'scoped', 'update by id', intact, r.ok ? `${(r.value as { count?: number }).count ?? 0} rows changed; B intact: ${intact}` : describeError(r.error));
      }
      {
        const r = await attempt(() => tdbA.execute(dsql`delete from ${t} where tenant_id = ${ids.a} and id = ${bId}`));
        const intact = await bRowIntact(s);
        record(s, 'scoped', 'delete by id', intact, r.ok ? `B intact: ${intact}` : describeError(r.error));
      }
      {
        const r = await attempt(() => tdbA.execute(dsql`insert into ${t} (tenant_id, id) values (${ids.b}, ${randomUUID()})`));
        record(s, 'scoped', "insert with the other tenant's id", !r.ok, r.ok ? 'INSERTED into B' : describeError(r.error));
      }
      {
        // B's own key as the conflict target: the guard must refuse before anything is sent.
        const row = insertable(s, s.rows.b, { tenant_id: ids.b, id: bId });
        const set = s.writable ? dsql`${dsql.identifier(s.writable)} = 'pwned'` : dsql`id = excluded.id`;
        const r = await attempt(() => tdbA.execute(dsql`${insertSql(t, row)} on conflict (tenant_id, id) do update set ${set}`));
        const intact = await bRowIntact(s);
        record(s, 'scoped', 'upsert (ON CONFLICT) onto the other row', !r.ok && intact, r.ok ? `ran; B intact: ${intact}` : describeError(r.error));
      }
      {
        const r = await attempt(() => tdbA.execute(dsql`select * from ${t}`));
        record(s, 'scoped', 'raw SQL without the tenant filter', !r.ok, r.ok ? `${r.value.length} rows returned` : describeError(r.error));
      }
      {
        const r = await attempt(() => tdbA.execute(dsql`select set_config('app.tenant_id', ${ids.b}, false) from ${t} where tenant_id = ${ids.a}`));
        record(s, 'scoped', 'session-level set_config', !r.ok, r.ok ? 'set_config ran' : describeError(r.error));
      }
      {
        const config = getTableConfig(s.table);
        const fk = config.foreignKeys.map((f) => f.reference()).find((ref) => seeded.some((p) => p.table === ref.foreignTable));
        if (!fk) {
          record(s, 'scoped', "foreign key into the other's parent", true, 'n/a: no foreign key to a tenant table');
        } else {
          const parent = seeded.find((p) => p.table === fk.foreignTable)!;
          // A valid row of A's in every way but one: its parent is B's.
          const overrides: Record<string, unknown> = { id: randomUUID() };
          fk.columns.forEach((col, i) => {
            if (col.name !== 'tenant_id') overrides[col.name] = parent.rows.b[fk.foreignColumns[i]!.name];
          });
          const row = insertable(s, s.rows.a, overrides, true);
          const r = await attempt(() => tdbA.execute(insertSql(t, row)));
          const code = r.ok ? null : (r.error as { code?: string }).code;
          // 23503: refused by the composite foreign key itself, not by some other constraint.
          record(s, 'scoped', "foreign key into the other's parent", code === '23503', r.ok ? "INSERTED pointing at B's parent" : describeError(r.error));
        }
      }
      {
        // A's own duplicate: the error may name A's values, never B's.
        const uniques = getTableConfig(s.table).uniqueConstraints;
        if (uniques.length === 0) {
          record(s, 'scoped', 'unique-violation probing', true, 'n/a: no unique key besides the primary key');
        } else {
          const cols = uniques[0]!.columns.map((c) => c.name).filter((c) => c !== 'tenant_id');
          const r = await attempt(() =>
            tdbA.execute(
              dsql`insert into ${t} (tenant_id, ${dsql.join(cols.map((c) => dsql.identifier(c)), dsql`, `)}) select tenant_id, ${dsql.join(
                cols.map((c) => dsql.identifier(c)),
                dsql`, `,
              )} from ${t} where tenant_id = ${ids.a} and id = ${s.rows.a.id as string}`,
            ),
          );
          const message = r.ok ? '' : `${r.error.message} ${(r.error as { detail?: string }).detail ?? ''}`;
          const leaks = message.includes(ids.b) || message.includes(bId);
          record(s, 'scoped', 'unique-violation probing', !leaks, r.ok ? 'no violation (nothing to probe)' : leaks ? `error names B: ${message}` : 'refused without naming B');
        }
      }

      // --- raw SQL as the app role, under RLS -------------------------------------------------
      if (!s.rls) {
        for (const attack of ATTACKS.sql) record(s, 'sql', attack, true, 'n/a: this table runs without RLS (app mode: the guard is its layer)');
        continue;
      }
      const asA = <T>(fn: (tx: postgres.TransactionSql) => Promise<T>) => attempt(() => asTenant(app, ids.a, fn));
      {
        const r = await asA((tx) => tx`select * from ${tx(s.name)} where id = ${bId}`);
        record(s, 'sql', 'read by id', r.ok ? r.value.length === 0 : true, r.ok ? `${r.value.length} rows` : describeError(r.error));
      }
      {
        const r = await asA((tx) => tx<{ tenant_id: string }[]>`select tenant_id from ${tx(s.name)}`);
        const pass = r.ok ? r.value.every((row) => row.tenant_id === ids.a) : true;
        record(s, 'sql', 'read all', pass, r.ok ? `${r.value.length} rows, all A's: ${pass}` : describeError(r.error));
      }
      {
        const r = await asA((tx) => (s.writable ? tx`update ${tx(s.name)} set ${tx(s.writable)} = 'pwned' where id = ${bId}` : tx`update ${tx(s.name)} set id = id where id = ${bId}`));
        record(s, 'sql', 'update by id', await bRowIntact(s), r.ok ? `${r.value.count} rows changed` : describeError(r.error));
      }
      {
        const r = await asA((tx) => tx`delete from ${tx(s.name)} where id = ${bId}`);
        record(s, 'sql', 'delete by id', await bRowIntact(s), r.ok ? `${r.value.count} rows deleted` : describeError(r.error));
      }
      {
        const r = await asA((tx) => tx`insert into ${tx(s.name)} ${tx({ ...s.rows.a, id: randomUUID(), tenant_id: ids.b })}`);
        record(s, 'sql', "insert with the other tenant's id", !r.ok, r.ok ? 'INSERTED into B' : describeError(r.error));
      }
      {
        const row = { ...writableRow(s.rows.b), tenant_id: ids.b };
        const r = await asA((tx) =>
          s.writable
            ? tx`insert into ${tx(s.name)} ${tx(row)} on conflict (tenant_id, id) do update set ${tx(s.writable)} = 'pwned'`
            : tx`insert into ${tx(s.name)} ${tx(row)} on conflict (tenant_id, id) do nothing`,
        );
        const intact = await bRowIntact(s);
        record(s, 'sql', 'upsert (ON CONFLICT) onto the other row', !r.ok && intact, r.ok ? `ran; B intact: ${intact}` : describeError(r.error));
      }
      {
        const r = await attempt(() => app.begin((tx) => tx`select * from ${tx(s.name)}`));
        record(s, 'sql', 'no tenant set', r.ok ? r.value.length === 0 : true, r.ok ? `${r.value.length} rows` : describeError(r.error));
      }
      {
        const r = await attempt(() =>
          app.begin(async (tx) => {
            await tx`select set_config('app.tenant_id', '', true)`;
            return tx`select * from ${tx(s.name)}`;
          }),
        );
        record(s, 'sql', 'empty setting', r.ok ? r.value.length === 0 : true, r.ok ? `${r.value.length} rows` : describeError(r.error));
      }
      {
        const r = await attempt(() =>
          app.begin(async (tx) => {
            await tx`select set_config('app.tenant_id', ${`${ids.b}' or true or '`}, true)`;
            return tx`select * from ${tx(s.name)}`;
          }),
        );
        record(s, 'sql', 'malformed setting', r.ok ? r.value.length === 0 : true, r.ok ? `${r.value.length} rows` : describeError(r.error));
      }
      {
        const r = await asA(async (tx) => {
          const stream = await tx`copy (select tenant_id from ${tx(s.name)}) to stdout`.readable();
          let text = '';
          for await (const chunk of stream) text += chunk.toString();
          return text.split('\n').filter(Boolean);
        });
        const pass = r.ok ? r.value.every((line) => line === ids.a) : true;
        record(s, 'sql', 'COPY', pass, r.ok ? `${r.value.length} rows copied, all A's: ${pass}` : describeError(r.error));
      }
      {
        const r = await asA((tx) => tx`truncate ${tx(s.name)}`);
        record(s, 'sql', 'TRUNCATE', !r.ok && (await bRowIntact(s)), r.ok ? 'TRUNCATED' : describeError(r.error));
      }
      {
        const view = `leak_view_${s.name}_${suffix}`;
        await owner.unsafe(`create view "${view}" with (security_invoker = true) as select * from "${s.name}"`);
        await owner.unsafe(`grant select on "${view}" to ${await appRole(app)}`);
        const r = await asA((tx) => tx<{ tenant_id: string }[]>`select tenant_id from ${tx(view)}`);
        await owner.unsafe(`drop view "${view}"`);
        const pass = r.ok ? r.value.every((row) => row.tenant_id === ids.a) : true;
        record(s, 'sql', 'security_invoker view', pass, r.ok ? `${r.value.length} rows, all A's: ${pass}` : describeError(r.error));
      }
      {
        const fn = `leak_fn_${s.name}_${suffix}`;
        await owner.unsafe(`create function "${fn}"() returns setof uuid language sql security definer as 'select tenant_id from "${s.name}"'`);
        await owner.unsafe(`grant execute on function "${fn}"() to ${await appRole(app)}`);
        const r = await asA((tx) => tx<{ t: string }[]>`select t from ${tx(fn)}() t`);
        await owner.unsafe(`drop function "${fn}"()`);
        // The definer is the owner, whom FORCE binds: still A's rows only.
        const pass = r.ok ? r.value.every((row) => row.t === ids.a) : true;
        record(s, 'sql', 'SECURITY DEFINER function', pass, r.ok ? `${r.value.length} rows, all A's: ${pass}` : describeError(r.error));
      }
      {
        await attempt(() =>
          app.begin(async (tx) => {
            await tx`select set_config('app.tenant_id', ${ids.b}, true)`;
            await tx`select 1/0`;
          }),
        );
        const r = await attempt(() => app`select * from ${app(s.name)}`);
        record(s, 'sql', 'setting left over after an error', r.ok ? r.value.length === 0 : true, r.ok ? `${r.value.length} rows on the same connection` : describeError(r.error));
      }
    }
    if (options.http) {
      const [ta, tb] = await owner<KitTenant[]>`select id, slug from tenants where id in (${ids.a}, ${ids.b}) order by slug`;
      await attackHttp(options.http, { a: ta!, b: tb! }, seeded, record, async (s) => bRowIntact(s));
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

/** A seeded row, ready to insert again: generated columns dropped, dates as ISO text. */
function writableRow(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([k, v]) => !GENERATED.has(k) && v !== null));
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

function insertSql(t: ReturnType<typeof dsql.identifier>, row: Record<string, unknown>) {
  const cols = Object.keys(row);
  const value = (v: unknown) => (v instanceof Date ? v.toISOString() : v !== null && typeof v === 'object' ? JSON.stringify(v) : v);
  return dsql`insert into ${t} (${dsql.join(
    cols.map((c) => dsql.identifier(c)),
    dsql`, `,
  )}) values (${dsql.join(
    cols.map((c) => dsql`${value(row[c])}`),
    dsql`, `,
  )})`;
}

async function appRole(app: postgres.Sql): Promise<string> {
  const [row] = await app<{ u: string }[]>`select current_user as u`;
  return `"${row!.u}"`;
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
