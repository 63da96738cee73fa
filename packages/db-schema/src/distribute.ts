/**
 * `pnpm db:distribute`: converts a migrated database on a Citus coordinator (issue 21): policies
 * Citus accepts, the tenants NOTIFY trigger dropped, reference tables, tenant tables distributed
 * on tenant_id, the context keys copied to the workers. Safe to re-run (each step skips what is
 * done); re-run after adding a worker or a key. Each step and why:
 * docs/scaling.md#3-past-one-machine-citus
 */
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import { type Roles } from './config';
import * as defaultSchema from './schema/index';
import { getTableKind, isTenantTable, tablesOf } from './schema/util/table-kinds';

export class DistributeError extends Error {
  override name = 'DistributeError';
}

export interface DistributeOptions {
  /** A superuser on the coordinator, connected to the database. */
  url: string;
  roles: Roles;
  log?: (line: string) => void;
  schema?: Record<string, unknown>;
}

/** Platform tables that every node joins to, parents first. */
export const REFERENCE_TABLES = ['plans', 'tenants', 'users', 'memberships'] as const;

/** The tenant-table policy on Citus, as Postgres prints it back. */
export const CITUS_TENANT_POLICY = '(tenant_id = studio_tenant())';
/** The product role's users policy on Citus. */
export const CITUS_USERS_POLICY = 'studio_member_of_current_tenant(id)';

interface ForeignKeySpec {
  table: string;
  name: string;
  sql: string;
}

/** The tenant tables in an order where every referenced tenant table comes first. */
export function tenantTablesParentsFirst(schema: Record<string, unknown> = defaultSchema as Record<string, unknown>): PgTable[] {
  const tenant = tablesOf(schema).filter(isTenantTable);
  const names = new Set(tenant.map((t) => getTableConfig(t).name));
  const parents = new Map(
    tenant.map((t) => {
      const config = getTableConfig(t);
      const refs = config.foreignKeys.map((fk) => getTableConfig(fk.reference().foreignTable).name).filter((n) => names.has(n) && n !== config.name);
      return [config.name, new Set(refs)];
    }),
  );
  const ordered: PgTable[] = [];
  const done = new Set<string>();
  const visit = (t: PgTable) => {
    const name = getTableConfig(t).name;
    if (done.has(name)) return;
    done.add(name);
    for (const parent of parents.get(name) ?? []) visit(tenant.find((x) => getTableConfig(x).name === parent)!);
    ordered.push(t);
  };
  for (const t of [...tenant].sort((a, b) => getTableConfig(a).name.localeCompare(getTableConfig(b).name))) visit(t);
  return ordered;
}

/** Foreign keys between two tenant tables, as the schema declares them. */
function tenantForeignKeys(tables: PgTable[]): ForeignKeySpec[] {
  const names = new Set(tables.map((t) => getTableConfig(t).name));
  const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const specs: ForeignKeySpec[] = [];
  for (const t of tables) {
    const config = getTableConfig(t);
    for (const fk of config.foreignKeys) {
      const ref = fk.reference();
      const target = getTableConfig(ref.foreignTable).name;
      if (!names.has(target)) continue;
      const action = (a: string | undefined) => (a ?? 'no action').toUpperCase();
      specs.push({
        table: config.name,
        name: fk.getName(),
        sql:
          `ALTER TABLE ${ident(config.name)} ADD CONSTRAINT ${ident(fk.getName())} FOREIGN KEY (${ref.columns.map((c) => ident(c.name)).join(', ')}) ` +
          `REFERENCES ${ident(target)} (${ref.foreignColumns.map((c) => ident(c.name)).join(', ')}) ON DELETE ${action(fk.onDelete)} ON UPDATE ${action(fk.onUpdate)}`,
      });
    }
  }
  return specs;
}

type CitusKind = 'distributed' | 'reference' | 'local' | null;

export async function distributeDatabase({ url, roles, log = console.log, schema = defaultSchema as Record<string, unknown> }: DistributeOptions): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const database = (await sql<{ db: string }[]>`select current_database() as db`)[0]!.db;
    const [citus] = await sql<{ version: string }[]>`select extversion as version from pg_extension where extname = 'citus'`;
    if (!citus) {
      throw new DistributeError(
        `${database} is not a Citus database: the citus extension is not installed. db:distribute converts a migrated database on a Citus coordinator ` +
          '(CREATE EXTENSION citus there and on every worker, and add the workers with citus_add_node; docs/scaling.md). On plain Postgres there is nothing to convert.',
      );
    }
    const [me] = await sql<{ su: boolean }[]>`select rolsuper as su from pg_roles where rolname = current_user`;
    if (!me?.su) throw new DistributeError('db:distribute needs a superuser (DATABASE_URL): it creates tables on the workers and changes Citus metadata.');
    const [coordinator] = await sql<{ ok: boolean }[]>`select citus_is_coordinator() as ok`;
    if (!coordinator?.ok) throw new DistributeError(`${database}: this node is not the Citus coordinator; point DATABASE_URL at the coordinator.`);
    const workers = await sql<{ name: string; port: number }[]>`
      select nodename as name, nodeport as port from pg_dist_node where noderole = 'primary' and groupid <> 0 and isactive order by nodeport`;
    if (workers.length === 0) throw new DistributeError(`${database}: the coordinator has no active workers (citus_add_node).`);
    const [migrated] = await sql<{ ok: boolean }[]>`select to_regclass('public.studio_current_tenant') is not null and to_regprocedure('public.studio_audit_stamp()') is not null as ok`;
    if (!migrated?.ok) throw new DistributeError(`${database} is not migrated: run pnpm db:migrate first.`);
    log(`Citus ${citus.version} on ${database}: ${workers.length} worker(s) (${workers.map((w) => `${w.name}:${w.port}`).join(', ')}).`);

    const kindOf = async (table: string): Promise<CitusKind> => {
      const [row] = await sql<{ kind: string }[]>`select citus_table_type as kind from citus_tables where table_name = ${table}::regclass`;
      return (row?.kind as CitusKind) ?? null;
    };
    const app = roles.app.name;
    const owner = roles.owner.name;
    const ident = (s: string) => sql(s);

    await sql`set citus.enable_unsafe_triggers = on`;
    // Converting a table copies its rows as this (superuser) session, which RLS does not bind:
    // as the owner, FORCE RLS would let the copy read nothing. Row counts before and after are
    // compared, and a difference stops the command.
    const convert = async (name: string, statement: () => Promise<unknown>) => {
      const [before] = await sql<{ n: number }[]>`select count(*)::int as n from ${ident(name)}`;
      await statement();
      const [after] = await sql<{ n: number }[]>`select count(*)::int as n from ${ident(name)}`;
      if (before?.n !== after?.n) throw new DistributeError(`${name}: ${before?.n} rows before converting, ${after?.n} after; stopped.`);
      return after?.n ?? 0;
    };

    // 2. Policies Citus accepts. Functions first: created on the coordinator, Citus propagates them.
    const tenantTables = tenantTablesParentsFirst(schema);
    const rlsTables = tenantTables.filter((t) => {
      const kind = getTableKind(t);
      return kind?.kind === 'tenant' && kind.rls;
    });
    await sql.begin(async (tx) => {
      await tx.unsafe(`
        CREATE OR REPLACE FUNCTION public.studio_member_of_current_tenant(user_id uuid) RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = pg_catalog, public, pg_temp
        SET citus.allow_nested_distributed_execution = on
        AS $fn$ SELECT EXISTS (SELECT 1 FROM public.memberships m WHERE m.user_id = $1 AND m.tenant_id = public.studio_tenant()) $fn$`);
      await tx`alter function public.studio_member_of_current_tenant(uuid) owner to ${ident(owner)}`;
      await tx`revoke all on function public.studio_member_of_current_tenant(uuid) from public`;
      await tx`grant execute on function public.studio_member_of_current_tenant(uuid) to ${ident(app)}`;
      for (const t of rlsTables) {
        const name = getTableConfig(t).name;
        const [policy] = await tx<{ qual: string; with_check: string }[]>`
          select qual, with_check from pg_policies where schemaname = 'public' and tablename = ${name} and policyname = 'tenant_isolation'`;
        if (policy?.qual === CITUS_TENANT_POLICY && policy.with_check === CITUS_TENANT_POLICY) continue;
        await tx`alter policy tenant_isolation on ${ident(name)} using (tenant_id = studio_tenant()) with check (tenant_id = studio_tenant())`;
        log(`  policy ${name}.tenant_isolation: tenant_id = studio_tenant()`);
      }
      const product = await tx<{ tablename: string; qual: string }[]>`
        select tablename, qual from pg_policies where schemaname = 'public' and policyname = 'product_current_tenant'`;
      if (product.find((p) => p.tablename === 'memberships')?.qual !== CITUS_TENANT_POLICY) {
        await tx`alter policy product_current_tenant on memberships using (tenant_id = studio_tenant())`;
        log('  policy memberships.product_current_tenant: tenant_id = studio_tenant()');
      }
      if (product.find((p) => p.tablename === 'users')?.qual !== CITUS_USERS_POLICY) {
        await tx`alter policy product_current_tenant on users using (studio_member_of_current_tenant(id))`;
        log('  policy users.product_current_tenant: studio_member_of_current_tenant(id)');
      }
    });
    // Functions the shards call, on every node (migrations run before CREATE EXTENSION citus were not propagated).
    for (const fn of [
      'public.studio_tenant()',
      'studio_private.verified_tenant(text)',
      'public.studio_member_of_current_tenant(uuid)',
      'public.studio_audit_append_only()',
      'public.studio_audit_stamp()',
      'public.studio_users_admin_flag()',
    ]) {
      const [known] = await sql<{ n: number }[]>`select count(*)::int as n from pg_dist_object where classid = 'pg_proc'::regclass and objid = ${fn}::regprocedure`;
      if (!known?.n) {
        await sql`select create_distributed_function(${fn})`;
        log(`  function ${fn}: on every node`);
      }
    }

    // 3. NOTIFY cannot run in a transaction Citus prepares (2PC over a reference table). The
    // writers of a tenants row send the same signal themselves after their commit (pg_notify on
    // studio_tenant_changed: @studio/platform's tenants.ts and lifecycle/citus.ts).
    const dropped = await sql`select 1 from pg_trigger where tgrelid = 'public.tenants'::regclass and tgname = 'tenants_notify_change'`;
    if (dropped.length > 0) {
      await sql`drop trigger tenants_notify_change on tenants`;
      log('  tenants: NOTIFY trigger dropped (the platform signals tenant changes after commit instead; a change made by hand reaches caches by the 30 s TTL)');
    }
    // Citus' own views in public, readable by PUBLIC: every Citus table's size and shard count.
    for (const view of ['citus_tables', 'citus_schemas']) {
      const [exists] = await sql<{ ok: boolean }[]>`select to_regclass(${`public.${view}`}) is not null as ok`;
      if (exists?.ok) await sql.unsafe(`revoke all on public.${view} from public`);
    }

    // 4. Reference tables, parents first.
    for (const name of REFERENCE_TABLES) {
      const kind = await kindOf(name);
      if (kind === 'reference') {
        log(`${name}: reference table (already)`);
        continue;
      }
      const started = Date.now();
      const rows = await convert(name, () => sql`select create_reference_table(${name})`);
      log(`${name}: reference table, a copy on every node, ${rows} rows (${Date.now() - started} ms)`);
    }

    // 5. Tenant tables, distributed on tenant_id and co-located with the first.
    const fks = tenantForeignKeys(tenantTables);
    const anchor = getTableConfig(tenantTables[0]!).name;
    const pending = [];
    for (const t of tenantTables) {
      const name = getTableConfig(t).name;
      if ((await kindOf(name)) === 'distributed') log(`${name}: distributed on tenant_id (already)`);
      else pending.push(name);
    }
    if (pending.length > 0) {
      // A local or Citus-local table may not reference a distributed one: the foreign keys
      // between tenant tables go while their ends are converted and come back from the schema.
      for (const fk of fks) {
        const [exists] = await sql<{ n: number }[]>`select count(*)::int as n from pg_constraint where conrelid = ${fk.table}::regclass and conname = ${fk.name}`;
        if (exists?.n) await sql`alter table ${ident(fk.table)} drop constraint ${ident(fk.name)}`;
      }
      for (const name of pending) {
        const started = Date.now();
        const rows = await convert(name, () =>
          name === anchor
            ? sql`select create_distributed_table(${name}, 'tenant_id')`
            : sql`select create_distributed_table(${name}, 'tenant_id', colocate_with => ${anchor})`,
        );
        const [shards] = await sql<{ n: number }[]>`select shard_count as n from citus_tables where table_name = ${name}::regclass`;
        log(`${name}: distributed on tenant_id, ${shards?.n} shards, co-located with ${anchor}, ${rows} rows (${Date.now() - started} ms)`);
      }
    }
    for (const fk of fks) {
      const [exists] = await sql<{ n: number }[]>`select count(*)::int as n from pg_constraint where conrelid = ${fk.table}::regclass and conname = ${fk.name}`;
      if (!exists?.n) {
        await sql.unsafe(fk.sql);
        log(`  ${fk.table}: foreign key ${fk.name} added back`);
      }
    }
    const local = await sql<{ name: string; kind: string }[]>`
      select c.relname as name, coalesce(ct.citus_table_type, 'plain') as kind
      from pg_class c join pg_namespace n on n.oid = c.relnamespace left join citus_tables ct on ct.table_name = c.oid
      where n.nspname = 'public' and c.relkind in ('r', 'p') and coalesce(ct.citus_table_type, 'plain') in ('local', 'plain')
      order by 1`;
    log(
      `platform tables on the coordinator: ${local.map((r) => `${r.name}${r.kind === 'local' ? ' (Citus-local)' : ''}`).join(', ')}; the queue schema studio_jobs stays local`,
    );

    // 6. The verifier's keys on every worker, as a plain table of that node.
    const synced = await syncContextKeysToWorkers(sql, owner);
    log(`context keys: ${synced.keys} key(s) copied to studio_private.context_keys on ${synced.workers} worker(s)`);
  } finally {
    await sql.end();
  }
}

/**
 * Copies studio_private.context_keys to a plain table of the same name on every worker, where the
 * verifier reads it inside shard queries. db:distribute calls it, and db:migrate after storing a
 * key in a distributed database (a key the workers do not have verifies nothing there: zero rows).
 */
export async function syncContextKeysToWorkers(sql: postgres.Sql, owner: string): Promise<{ keys: number; workers: number }> {
  await sql`select run_command_on_workers(${`
    SET citus.enable_ddl_propagation = off;
    CREATE TABLE IF NOT EXISTS studio_private.context_keys (
      kid text PRIMARY KEY CHECK (kid ~ '^[0-9a-f]{12}$'),
      ipad bytea NOT NULL CHECK (length(ipad) = 64),
      opad bytea NOT NULL CHECK (length(opad) = 64),
      created_at timestamptz NOT NULL DEFAULT now());
    ALTER TABLE studio_private.context_keys OWNER TO "${owner.replace(/"/g, '""')}";
    REVOKE ALL ON studio_private.context_keys FROM PUBLIC`})`;
  const [sync] = await sql<{ command: string; n: number }[]>`
    select count(*)::int as n, 'BEGIN; DELETE FROM studio_private.context_keys; ' ||
      coalesce('INSERT INTO studio_private.context_keys (kid, ipad, opad, created_at) VALUES ' ||
        string_agg(format('(%L, %L::bytea, %L::bytea, %L::timestamptz)', kid, ipad, opad, created_at), ', ') || '; ', '') ||
      'COMMIT' as command
    from studio_private.context_keys`;
  const results = await sql<{ success: boolean; result: string; nodeport: number }[]>`select * from run_command_on_workers(${sync!.command})`;
  const failed = results.filter((r) => !r.success);
  if (failed.length > 0) throw new DistributeError(`copying the context keys failed on ${failed.map((r) => `port ${r.nodeport}: ${r.result}`).join('; ')}`);
  return { keys: sync!.n, workers: results.length };
}

/** Whether the database has tables db:distribute distributed (the citus extension and a hash-distributed table). */
export async function isDistributed(sql: postgres.Sql): Promise<boolean> {
  const [row] = await sql<{ ok: boolean }[]>`
    select exists (select 1 from pg_extension where extname = 'citus')
      and exists (select 1 from pg_catalog.pg_class where relname = 'pg_dist_partition' and relnamespace = 'pg_catalog'::regnamespace) as ok`;
  if (!row?.ok) return false;
  const [dist] = await sql<{ n: number }[]>`select count(*)::int as n from pg_dist_partition where partmethod = 'h'`;
  return (dist?.n ?? 0) > 0;
}
