/**
 * `pnpm studio <command>`: tenant lifecycle from the terminal.
 *
 *   pnpm studio tenants list
 *   pnpm studio tenants export <slug> [--format ndjson|sql] [--out <file>]
 *   pnpm studio tenants import <file> [--database <placement>]
 *   pnpm studio tenants move <slug> --to <placement> [--settle-seconds 30]
 *   pnpm studio tenants move <slug> --to <host:port>      (Citus: to a worker, DATABASE_URL a superuser)
 *   pnpm studio tenants erase <slug> --confirm <slug>
 *   pnpm studio db backfill [<name>]
 *
 * list and export connect as the app role (DATABASE_APP_URL, or derived from DATABASE_URL) with
 * each tenant's context, so they can only ever read the tenant they work on; import, move and
 * erase write as the owner role, which FORCE RLS binds to the tenant too. Exit codes: 0 done,
 * 1 refused or failed (the message says why; nothing changed unless it says so), 2 bad usage.
 */
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import * as schema from '@studio/db-schema/schema';
import { DatabaseConfigError } from '@studio/db-schema/config';
import { SingleBar } from 'cli-progress';
import Table from 'cli-table3';
import { getTableConfig } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import { backfills } from '@studio/db-schema/backfills';
import { exportTenant, eraseTenant, importTenant, isNodeAddress, moveTenant, moveTenantOnCitus, runBackfill, type ExportFormat } from '@studio/platform/lifecycle';
import { TenancyError } from '@studio/tenancy';
import { appDatabaseUrl, lifecycleTargets, placementsFromEnv } from '@studio/tenancy/env';
import { asTenantOwner, formatBytes, tenantTablesOf } from '@studio/tenancy/lifecycle';
import { defaultFileStore } from '@studio/tenancy/storage';

const USAGE = `Usage:
  pnpm studio tenants list
  pnpm studio tenants export <slug> [--format ndjson|sql] [--out <file>]
  pnpm studio tenants import <file> [--database <placement>]   (default: shared)
  pnpm studio tenants move <slug> --to <placement> [--settle-seconds 30]
  pnpm studio tenants move <slug> --to <host:port>    (Citus: its own shard, on that worker)
  pnpm studio tenants erase <slug> --confirm <slug>
  pnpm studio db backfill [<name>]      (no name: list the backfills)`;

class UsageError extends Error {}

function urls(): Record<string, string> {
  return { ...placementsFromEnv(process.env), shared: appDatabaseUrl(process.env) };
}

async function list(): Promise<void> {
  const all = urls();
  const shared = postgres(all.shared!, { max: 1, onnotice: () => {} });
  const pools = new Map<string, postgres.Sql>([['shared', shared]]);
  try {
    const tenants = await shared<{ id: string; slug: string; status: string; placement: string }[]>`
      select id, slug, status, placement from tenants order by slug`;
    const tables = tenantTablesOf(schema as Record<string, unknown>).map((t) => getTableConfig(t).name);
    const table = new Table({ head: ['slug', 'status', 'placement', 'rows', 'size'], style: process.stdout.isTTY ? {} : { head: [], border: [] } });
    for (const t of tenants) {
      const url = all[t.placement];
      if (!url) {
        table.push([t.slug, t.status, t.placement, 'placement not configured']);
        continue;
      }
      let sql = pools.get(t.placement);
      if (!sql) pools.set(t.placement, (sql = postgres(url, { max: 1, onnotice: () => {} })));
      // asTenantOwner binds the tenant on Citus's shards too (SET LOCAL), where set_config would count nothing.
      const [row] = await asTenantOwner(sql, t.id, async (tx) => {
        // Rows, and their size as stored (pg_column_size of each row: data, not indexes).
        const counts = tables.map((name) => `(select count(*) from "${name}" where tenant_id = '${t.id}')`).join(' + ');
        const sizes = tables.map((name) => `(select coalesce(sum(pg_column_size(x.*)), 0) from "${name}" x where tenant_id = '${t.id}')`).join(' + ');
        return tx.unsafe<{ n: string; bytes: string }[]>(`select (${counts})::text as n, (${sizes})::text as bytes`);
      });
      table.push([t.slug, t.status, t.placement, Number(row!.n).toLocaleString('en'), formatBytes(Number(row!.bytes))]);
    }
    console.log(table.toString());
  } finally {
    await Promise.all([...pools.values()].map((p) => p.end({ timeout: 5 })));
  }
}

async function exportCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { format: { type: 'string', default: 'ndjson' }, out: { type: 'string' } } });
  const slug = positionals[0];
  if (!slug || positionals.length > 1) throw new UsageError('tenants export takes one tenant slug.');
  const format = values.format as ExportFormat;
  if (format !== 'ndjson' && format !== 'sql') throw new UsageError(`--format is ndjson or sql, not "${values.format}".`);
  const out = values.out ?? `${slug}-${new Date().toISOString().slice(0, 10)}.${format === 'sql' ? 'sql' : 'ndjson'}`;
  const file = createWriteStream(out, { flags: 'wx' });
  await new Promise<void>((resolve, reject) => {
    file.once('open', () => resolve());
    file.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EEXIST' ? new UsageError(`${out} exists; pass --out with another name.`) : error),
    );
  });
  const started = Date.now();
  const tty = process.stderr.isTTY === true;
  const bar = tty ? new SingleBar({ format: 'exporting {table} | {rows} rows | {mb} MB | {rate} MB/s', hideCursor: true }) : null;
  bar?.start(1, 0, { table: '', rows: 0, mb: '0.0', rate: '0.0' });
  let lastTable = '';
  try {
    const manifest = await exportTenant({
      urls: urls(),
      slug,
      format,
      out: file,
      onProgress: (p) => {
        const seconds = Math.max((Date.now() - started) / 1000, 0.001);
        const mb = p.totalBytes / 1e6;
        if (bar) bar.update(0, { table: p.table, rows: p.totalRows.toLocaleString('en'), mb: mb.toFixed(1), rate: (mb / seconds).toFixed(1) });
        else if (p.table !== lastTable) console.error(`exported ${p.table}: ${p.rows.toLocaleString('en')} rows`);
        lastTable = p.table;
      },
    });
    file.end();
    await finished(file);
    await writeFile(`${out}.manifest.json`, `${JSON.stringify(manifest, null, 2)}\n`);
    bar?.stop();
    const rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
    console.log(`Exported ${manifest.tenant.slug}: ${rows.toLocaleString('en')} rows in ${manifest.tables.length} tables to ${out} (manifest: ${out}.manifest.json).`);
  } catch (error) {
    bar?.stop();
    file.destroy();
    const { rm } = await import('node:fs/promises');
    await rm(out, { force: true });
    throw error;
  }
}

/** Step messages on stderr, so stdout keeps only the result. */
const step = (message: string) => console.error(message);

async function importCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { database: { type: 'string', default: 'shared' } } });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError('tenants import takes one export file (its manifest sits next to it).');
  const result = await importTenant({ targets: lifecycleTargets(), file, database: values.database, onProgress: step });
  const rows = Object.values(result.rows).reduce((n, r) => n + r, 0);
  console.log(`Imported ${result.tenant.slug} into "${result.database}": ${rows.toLocaleString('en')} rows.`);
}

async function moveCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { to: { type: 'string' }, 'settle-seconds': { type: 'string', default: '30' } } });
  const slug = positionals[0];
  if (!slug || positionals.length > 1) throw new UsageError('tenants move takes one tenant slug.');
  if (!values.to) throw new UsageError('tenants move needs --to <placement> (a key of DATABASE_PLACEMENTS, or shared), or on Citus --to <host:port> of a worker.');
  if (isNodeAddress(values.to)) return moveToCitusNode(slug, values.to);
  const settle = Number(values['settle-seconds']);
  if (!Number.isFinite(settle) || settle < 0) throw new UsageError(`--settle-seconds is a number of seconds, not "${values['settle-seconds']}".`);
  const result = await moveTenant({ targets: lifecycleTargets(), slug, to: values.to, settleMs: settle * 1000, onProgress: step });
  console.log(
    `Moved ${result.tenant.slug} from "${result.from}" to "${result.to}": ${result.rows.toLocaleString('en')} rows; writes were refused for ${result.readOnlySeconds.toFixed(1)} s.` +
      (result.resumedFrom ? ` (Resumed after step "${result.resumedFrom}".)` : ''),
  );
}

/** On Citus: the tenant's own shard group, moved to the worker `to` (host:port), as DATABASE_URL's superuser. */
async function moveToCitusNode(slug: string, to: string): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new UsageError(`Moving a tenant to a Citus node (${to}) needs DATABASE_URL: a superuser URL of the coordinator's database, as for pnpm db:distribute.`);
  const started = Date.now();
  const result = await moveTenantOnCitus({ url, slug, to, onProgress: step });
  console.log(
    `Moved ${result.tenant.slug} from ${result.from} to ${result.to}: ${result.rows.toLocaleString('en')} rows in shard ${result.shardId} and its co-located shards, ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s (${result.isolated ? `isolating ${result.isolateSeconds.toFixed(1)} s, ` : ''}moving ${result.moveSeconds.toFixed(1)} s; writes to the tenant waited meanwhile).`,
  );
}

async function eraseCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { confirm: { type: 'string' } } });
  const slug = positionals[0];
  if (!slug || positionals.length > 1) throw new UsageError('tenants erase takes one tenant slug.');
  if (values.confirm !== slug) throw new UsageError(`Erasing deletes every row of "${slug}" for good: repeat the slug with --confirm ${slug}.`);
  const result = await eraseTenant({ targets: lifecycleTargets(), slug, confirm: values.confirm, files: defaultFileStore(), onProgress: step });
  const rows = Object.values(result.deleted).reduce((n, r) => n + r, 0);
  console.log(`Erased ${result.tenant.slug}: ${rows.toLocaleString('en')} rows and ${result.files} files deleted; a tenant.erased platform event records it.`);
}

async function backfillCommand(args: string[]): Promise<void> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  const name = positionals[0];
  if (!name) {
    for (const [key, backfill] of Object.entries(backfills)) console.log(`${key}\n  ${backfill.description}`);
    return;
  }
  if (positionals.length > 1) throw new UsageError('db backfill takes one backfill name.');
  const tty = process.stderr.isTTY === true;
  const bar = tty ? new SingleBar({ format: `${name} | {bar} | {value}/{total} tenants | {tenant} | {rows} rows`, hideCursor: true }) : null;
  let started = false;
  let last = '';
  const result = await runBackfill({
    targets: lifecycleTargets(),
    name,
    onProgress: (p) => {
      if (bar) {
        if (!started) bar.start(p.total, p.done, { tenant: p.tenant, rows: 0 });
        started = true;
        bar.update(p.done, { tenant: p.tenant, rows: p.rows.toLocaleString('en') });
      } else if (p.tenant !== last || p.done === p.total) {
        console.error(`${p.tenant}: ${p.done}/${p.total} tenants, ${p.rows.toLocaleString('en')} rows`);
        last = p.tenant;
      }
    },
  }).finally(() => bar?.stop());
  console.log(
    `Backfill ${name}: ${result.rows.toLocaleString('en')} rows changed in ${result.tenants - result.skipped} tenants` +
      (result.skipped ? ` (${result.skipped} already done, skipped).` : '.'),
  );
}

async function main(argv: string[]): Promise<void> {
  const [group, command, ...rest] = argv;
  if (group === 'db' && command === 'backfill') return backfillCommand(rest);
  if (group !== 'tenants' || !command) throw new UsageError('Which command?');
  if (command === 'list') return list();
  if (command === 'export') return exportCommand(rest);
  if (command === 'import') return importCommand(rest);
  if (command === 'move') return moveCommand(rest);
  if (command === 'erase') return eraseCommand(rest);
  throw new UsageError(`Unknown command "tenants ${command}".`);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    if (TenancyError.is(error) || error instanceof DatabaseConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    const message = error instanceof Error ? error.message : String(error);
    console.error(process.env.DEBUG ? error : `Failed: ${message} (DEBUG=1 for the stack)`);
    process.exit(1);
  },
);
