/**
 * The tenant-change signal the `tenants` trigger cannot send on Citus (issue 21, docs/scaling.md).
 * Binding a transaction to a tenant there (SET LOCAL that reaches the workers) is `asTenantOwner`
 * and `bindTenant` in `@studio/tenancy/lifecycle`, shared with export and the leak kit.
 */
import { TENANT_CHANGED_CHANNEL } from '@studio/tenancy/resolver';
import type postgres from 'postgres';

/**
 * Tells every process's tenant directory that a tenant changed (its status, slug or placement,
 * or it is gone): the payload the `tenants_notify_change` trigger sends, on its channel. Call it
 * after the change committed. On Citus the trigger is dropped (a transaction that ran NOTIFY
 * cannot be prepared) and this is the only signal; on plain Postgres it repeats the trigger's,
 * which costs a cache miss. A failure is not the change's: it is reported, and the cache's TTL
 * still bounds how long the old entry is served.
 */
export async function signalTenantChanged(sql: postgres.Sql, tenantId: string, onError: (message: string) => void = () => {}): Promise<void> {
  try {
    await sql`select pg_notify(${TENANT_CHANGED_CHANNEL}, ${tenantId})`;
  } catch (error) {
    onError(`could not signal the change of tenant ${tenantId} (${(error as Error).message}); cached copies expire within the tenant cache's TTL`);
  }
}

/** Rows per INSERT on Citus: far under Postgres's 65,535 parameters, whatever the table's width. */
const ROWS_PER_INSERT = 200;

/**
 * Inserts the rows of `rowsSql` into a tenant table on Citus, where `insert ... select` from a
 * coordinator-local table cannot be used: Citus pulls such rows to the coordinator and COPYs them
 * into the shards, and Postgres refuses COPY into a table under row-level security. So the rows
 * are read back in batches, as text (nothing is lost on the way through JavaScript: timestamps
 * keep their microseconds, numbers their digits), and sent as multi-row `insert ... values`,
 * which Citus routes to the tenant's shard as plain INSERTs, checked by the policy like any write.
 *
 * `rowsSql`'s rows are a strictly increasing bigint key first (for keyset batches), then the
 * values of `columns` in order; it may use `params` as $1... Returns the rows inserted.
 */
export async function insertInBatches(
  tx: postgres.TransactionSql,
  table: string,
  columns: string[],
  rowsSql: string,
  params: readonly (string | number)[],
  conflict = '',
): Promise<number> {
  const types = new Map(
    (await tx<{ name: string; type: string }[]>`
      select attname as name, format_type(atttypid, atttypmod) as type from pg_attribute
      where attrelid = ${table}::regclass and attnum > 0 and not attisdropped`).map((r) => [r.name, r.type]),
  );
  const aliases = columns.map((_, i) => `c${i}`);
  const after = `$${params.length + 1}`;
  const batchSql = `select s.n::text as n, ${aliases.map((a) => `s.${a}::text as ${a}`).join(', ')}
    from (${rowsSql}) as s(n, ${aliases.join(', ')}) where s.n > ${after}::bigint order by s.n limit ${ROWS_PER_INSERT}`;
  const list = columns.map((c) => `"${c}"`).join(', ');
  let last = '0';
  let inserted = 0;
  for (;;) {
    const rows = await tx.unsafe<Record<string, string | null>[]>(batchSql, [...params, last]);
    if (rows.length === 0) return inserted;
    const values: (string | null)[] = [];
    const tuples = rows.map((row) => {
      const placeholders = aliases.map((alias, i) => {
        values.push(row[alias] ?? null);
        // `::text` first: the parameter is then text, which postgres.js sends as given (typed as a
        // timestamp, it would go through a JavaScript Date and lose its microseconds).
        return `$${values.length}::text::${types.get(columns[i]!) ?? 'text'}`;
      });
      return `(${placeholders.join(', ')})`;
    });
    const result = await tx.unsafe(`insert into "${table}" (${list}) values ${tuples.join(', ')} ${conflict}`, values);
    inserted += result.count;
    last = rows[rows.length - 1]!.n!;
  }
}
