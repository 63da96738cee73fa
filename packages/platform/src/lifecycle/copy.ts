/**
 * The copy step of `tenants move`: one tenant's rows from its current database straight into
 * another, table by table with COPY in Postgres's own text format (no JSON, no temporary file),
 * from one snapshot of the source into one transaction on the target. The target first gets
 * what the rows reference: the tenant's plan, its registry row and the users its rows name.
 */
import { pipeline } from 'node:stream/promises';
import { insertInBatches } from './citus';
import type postgres from 'postgres';
import { asTenantOwner, bindTenant, deleteTenantRows, isCitus, platformQueries, TenantLifecycleError, type TenantTableInfo } from '@studio/tenancy/lifecycle';

/** Columns of the registry tables a target needs (users: nothing secret, as in an export). */
const REGISTRY_COLUMNS: Record<string, string[] | null> = { plans: null, tenants: null, users: ['id', 'name', 'email', 'email_verified', 'created_at'] };

/** A stalled COPY FROM (postgres.js never settles a failed one: porsager/postgres#1173) fails after this. */
const STALL_MS = 60_000;

async function copyTable(source: postgres.TransactionSql, target: postgres.TransactionSql, table: TenantTableInfo, tenantId: string, targetCitus: boolean): Promise<void> {
  const columns = table.columns.map((c) => `"${c}"`).join(', ');
  const order = table.orderBy ? ` order by ${table.orderBy}` : '';
  // COPY FROM refuses a table under row-level security, so the rows land in a temporary twin
  // first; the INSERT from it is checked by the policy (WITH CHECK) like any other write.
  const staging = `studio_copy_${table.name}`;
  await target.unsafe(`create temp table "${staging}" (like "${table.name}") on commit drop`);
  // On Citus the rows go on in numbered batches (insertInBatches): the number keeps the source's order.
  if (targetCitus) await target.unsafe(`alter table "${staging}" add column studio_n bigserial`);
  const reader = await source.unsafe(`copy (select ${columns} from "${table.name}" where tenant_id = '${tenantId}'${order}) to stdout`).readable();
  const writer = await target.unsafe(`copy "${staging}" (${columns}) from stdin`).writable();
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    reader.once('end', () => {
      timer = setTimeout(() => reject(new TenantLifecycleError('TENANT_MOVE_STALLED', `The target stopped answering while loading ${table.name}; nothing was committed there. Run the move again.`)), STALL_MS);
      timer.unref();
    });
  });
  try {
    await Promise.race([pipeline(reader, writer), stalled]);
  } finally {
    clearTimeout(timer);
  }
  if (targetCitus) {
    await target.unsafe(`create index on "${staging}" (studio_n)`);
    await insertInBatches(target, table.name, table.columns, `select studio_n, ${columns} from "${staging}"`, []);
  } else {
    await target.unsafe(`insert into "${table.name}" (${columns}) select ${columns} from "${staging}"${order}`);
  }
  await target.unsafe(`drop table "${staging}"`);
}

export interface CopyTenantOptions {
  /** The shared database: where the registry rows come from. */
  registry: postgres.Sql;
  source: postgres.Sql;
  target: postgres.Sql;
  targetKey: string;
  tenantId: string;
  tables: TenantTableInfo[];
  onProgress?: (message: string) => void;
}

/** Copies the tenant; returns rows per table. A partial copy left by a crash is purged first. */
export async function copyTenant(options: CopyTenantOptions): Promise<Record<string, number>> {
  const { tenantId, tables } = options;
  const registryRows = await options.registry.begin('isolation level repeatable read read only', async (tx) => {
    await tx`set local timezone to 'UTC'`;
    const out: { name: string; json: string }[] = [];
    for (const p of platformQueries(tables).filter((q) => q.name in REGISTRY_COLUMNS)) {
      const [row] = await tx.unsafe<{ json: string }[]>(`select coalesce(json_agg(x), '[]')::text as json from (${p.query(tenantId)}) x`);
      out.push({ name: p.name, json: row!.json });
    }
    return out;
  });
  // A source on Citus (a tenant moving off it) needs SET LOCAL, or its shards would show no rows.
  const sourceCitus = await isCitus(options.source);
  const targetCitus = await isCitus(options.target);
  return options.source.begin('isolation level repeatable read read only', async (from) => {
    await bindTenant(from, tenantId, sourceCitus);
    return asTenantOwner(
      options.target,
      tenantId,
      async (to) => {
        await deleteTenantRows(to, tenantId, tables);
        for (const { name, json } of registryRows) {
          const wanted = REGISTRY_COLUMNS[name] ?? (await to<{ c: string }[]>`select attname as c from pg_attribute where attrelid = ${name}::regclass and attnum > 0 and not attisdropped order by attnum`).map((r) => r.c);
          const list = wanted.map((c) => `"${c}"`).join(', ');
          await to.unsafe(`insert into "${name}" (${list}) select ${list} from json_populate_recordset(null::"${name}", $1::text::json) on conflict do nothing`, [json]);
        }
        // The target's copy of the registry row names the target (the shared row flips later).
        if (options.targetKey !== 'shared') await to`update tenants set placement = ${options.targetKey} where id = ${tenantId}`;
        const counts: Record<string, number> = {};
        for (const table of tables) {
          await copyTable(from, to, table, tenantId, targetCitus);
          const [row] = await to.unsafe<{ n: number }[]>(`select count(*)::int as n from "${table.name}" where tenant_id = $1`, [tenantId]);
          counts[table.name] = row!.n;
          options.onProgress?.(`copied ${table.name}: ${row!.n.toLocaleString('en')} rows`);
        }
        return counts;
      },
      { erasing: true },
    );
  }) as Promise<Record<string, number>>;
}
