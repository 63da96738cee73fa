/**
 * `tenants import <file> [--database <key>]`: loads an ndjson export into a database. Checks
 * first, writes after: the file must match its manifest table by table (row counts and
 * SHA-256), and the target must not hold the tenant already. Then one transaction, as the
 * owner bound to the tenant (FORCE RLS refuses any row of another tenant): the file goes to the
 * server with COPY, each table is filled from it in the export's order, and the counts are
 * checked before COMMIT. Nothing is left behind on failure.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import type { ExportManifest } from '@studio/tenancy/lifecycle';
import { asTenantOwner, isCitus, platformColumns, tableHoldingTenant, Pools, targetOf, tenantTables, TenantLifecycleError, type DatabaseTargets } from '@studio/tenancy/lifecycle';
import { insertInBatches, signalTenantChanged } from './citus';

export interface ImportOptions {
  targets: DatabaseTargets;
  /** The ndjson export; its manifest is `<file>.manifest.json` unless given. */
  file: string;
  manifest?: ExportManifest;
  /** Placement key of the target database. 'shared' (default) also restores members and invitations. */
  database?: string;
  schema?: Record<string, unknown>;
  onProgress?: (message: string) => void;
  /**
   * Set by `tenants move`: the tenant exists in the registry already. Its registry row and plan
   * are added only where missing, members and invitations stay where they are, and the target
   * must hold none of its tenant rows.
   */
  forMove?: boolean;
}

export interface ImportResult {
  tenant: ExportManifest['tenant'];
  database: string;
  rows: Record<string, number>;
}

/** Platform tables an export carries. */
const PLATFORM_ORDER = ['plans', 'tenants', 'users', 'memberships', 'invitations'] as const;

export async function readManifest(file: string): Promise<ExportManifest> {
  const path = `${file}.manifest.json`;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new TenantLifecycleError('IMPORT_MANIFEST_MISSING', `No manifest at ${path}: an import needs the manifest written next to the export.`);
  }
  let manifest: ExportManifest;
  try {
    manifest = JSON.parse(text) as ExportManifest;
  } catch {
    throw new TenantLifecycleError('IMPORT_MANIFEST_INVALID', `${path} is not JSON.`);
  }
  if (manifest.version !== 1 || !manifest.tenant?.id || !Array.isArray(manifest.tables)) {
    throw new TenantLifecycleError('IMPORT_MANIFEST_INVALID', `${path} is not a studio export manifest (version 1).`);
  }
  if (manifest.format !== 'ndjson') {
    throw new TenantLifecycleError('IMPORT_FORMAT', `${file} is a ${manifest.format} export; import reads ndjson exports (load an sql export with psql).`);
  }
  return manifest;
}

const LINE = /^\{"table":"([a-z_][a-z0-9_]*)","row":\{/;

/** Reads the file once: every line well-formed, every table's count and checksum as the manifest says. */
export async function verifyExportFile(file: string, manifest: ExportManifest): Promise<void> {
  const expected = new Map(manifest.tables.map((t) => [t.name, t]));
  const seen = new Map<string, { rows: number; hash: ReturnType<typeof createHash> }>();
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Number.POSITIVE_INFINITY });
  let n = 0;
  for await (const line of lines) {
    n++;
    const table = LINE.exec(line)?.[1];
    // The lines go to COPY as they are: nothing COPY would read as a quote, delimiter or line break.
    if (!table || !line.endsWith('}}') || line.includes('\x01') || line.includes('\x02') || line.includes('\r')) {
      throw new TenantLifecycleError('IMPORT_FILE_INVALID', `${file}, line ${n}: not a line of a studio ndjson export.`);
    }
    if (!expected.has(table)) throw new TenantLifecycleError('IMPORT_FILE_INVALID', `${file}, line ${n}: table "${table}" is not in the manifest.`);
    let entry = seen.get(table);
    if (!entry) seen.set(table, (entry = { rows: 0, hash: createHash('sha256') }));
    entry.rows++;
    entry.hash.update(line).update('\n');
  }
  for (const table of manifest.tables) {
    const got = seen.get(table.name);
    const rows = got?.rows ?? 0;
    const sha = got ? got.hash.digest('hex') : createHash('sha256').digest('hex');
    if (rows !== table.rows || sha !== table.sha256) {
      throw new TenantLifecycleError(
        'IMPORT_CHECKSUM_MISMATCH',
        `${file}: table "${table.name}" does not match its manifest (${rows} rows, ${table.rows} expected${rows === table.rows ? '; checksum differs' : ''}). The file was changed or cut short; nothing was imported.`,
      );
    }
  }
}

/** The quote and delimiter no JSON line can hold (see export's RAW_JSON_COPY). */
const RAW_LINE_COPY = "with (format csv, quote e'\\x01', delimiter e'\\x02')";

export async function importTenant(options: ImportOptions): Promise<ImportResult> {
  const database = options.database ?? 'shared';
  const manifest = options.manifest ?? (await readManifest(options.file));
  const tenant = manifest.tenant;
  await stat(options.file).catch(() => {
    throw new TenantLifecycleError('IMPORT_FILE_MISSING', `No file ${options.file}.`);
  });
  const target = targetOf(options.targets, database);
  const tables = tenantTables(options.schema);
  const known = new Set<string>([...PLATFORM_ORDER, ...tables.map((t) => t.name)]);
  const unknown = manifest.tables.find((t) => !known.has(t.name));
  if (unknown) throw new TenantLifecycleError('IMPORT_TABLE_UNKNOWN', `The export has table "${unknown.name}", which this schema does not have: migrate the target first.`);

  options.onProgress?.('checking the file against its manifest');
  await verifyExportFile(options.file, manifest);

  const pools = new Pools();
  try {
    const sql = await pools.reachable(target.owner, database);
    if (options.forMove) {
      const held = await tableHoldingTenant(sql, tenant.id, tables);
      if (held) throw new TenantLifecycleError('TENANT_EXISTS', `The "${database}" database already holds rows of ${tenant.slug} (${held}): nothing was imported.`);
    } else {
      const [holder] = await sql<{ slug: string; id: string }[]>`select slug, id from tenants where id = ${tenant.id} or slug = ${tenant.slug}`;
      if (holder) {
        throw new TenantLifecycleError(
          'TENANT_EXISTS',
          `The "${database}" database already holds ${holder.id === tenant.id ? `tenant ${tenant.slug}` : `another tenant with the slug "${tenant.slug}"`}: nothing was imported. Erase it there first, or import elsewhere.`,
        );
      }
    }
    const citus = await isCitus(sql);
    const rows = await asTenantOwner(sql, tenant.id, async (tx) => {
      await tx`create temp table studio_import (n bigserial, line text not null) on commit drop`;
      options.onProgress?.(`sending ${options.file} to "${database}"`);
      const sink = await tx.unsafe(`copy studio_import (line) from stdin ${RAW_LINE_COPY}`).writable();
      await pipeline(createReadStream(options.file), sink);
      await tx`alter table studio_import add column t text, add column j jsonb`;
      await tx`update studio_import set j = line::jsonb -> 'row', t = line::jsonb ->> 'table'`;
      await tx`create index on studio_import (t, n)`;

      // Platform rows must be this tenant's, whatever the file says (tenant tables have RLS).
      const [stray] = await tx<{ t: string }[]>`
        select t from studio_import
        where (t in ('memberships', 'invitations') and j ->> 'tenant_id' <> ${tenant.id}) or (t = 'tenants' and j ->> 'id' <> ${tenant.id})
        limit 1`;
      if (stray) throw new TenantLifecycleError('IMPORT_FILE_INVALID', `${options.file}: a "${stray.t}" row belongs to another tenant; nothing was imported.`);

      const counts: Record<string, number> = {};
      // `withheld`: secret columns an export leaves out (C16) that cannot stay empty, with what to write instead.
      const fill = async (name: string, columns: string[], conflict = '', withheld: Record<string, string> = {}) => {
        const list = [...columns, ...Object.keys(withheld)].map((c) => `"${c}"`).join(', ');
        const values = [...columns.map((c) => `r."${c}"`), ...Object.values(withheld)].join(', ');
        // On Citus an INSERT ... SELECT from this temporary table would reach the shards as a COPY,
        // which row-level security refuses: there the rows go as batches of INSERT ... VALUES.
        counts[name] = citus
          ? await insertInBatches(tx, name, [...columns, ...Object.keys(withheld)], `select i.n, ${values} from studio_import i, jsonb_populate_record(null::"${name}", i.j) r where i.t = $1`, [name], conflict)
          : (
              await tx.unsafe(
                `insert into "${name}" (${list}) select ${values}
                 from studio_import i, jsonb_populate_record(null::"${name}", i.j) r where i.t = $1 order by i.n ${conflict}`,
                [name],
              )
            ).count;
        options.onProgress?.(`imported ${name}: ${counts[name].toLocaleString('en')} rows`);
      };
      // The target's columns that an export carries (never a secret one: an invitation gets a new id).
      const columnsOf = async (name: string) => {
        const carried = platformColumns(name, options.schema) ?? [];
        return (await tx<{ name: string }[]>`select attname as name from pg_attribute where attrelid = ${name}::regclass and attnum > 0 and not attisdropped and attgenerated = '' order by attnum`)
          .map((r) => r.name)
          .filter((c) => carried.includes(c));
      };

      await fill('plans', await columnsOf('plans'), 'on conflict (id) do nothing');
      await fill('tenants', await columnsOf('tenants'), options.forMove ? 'on conflict (id) do nothing' : '');
      // The registry row of the shared database is the move's to flip, not the import's.
      if (!(options.forMove && database === 'shared')) await tx`update tenants set placement = ${database} where id = ${tenant.id}`;
      // Users everywhere (tenant rows reference them); memberships and invitations only where
      // the platform lives: a dedicated database holds the tenant's data, not its sign-ins.
      const [taken] = await tx<{ email: string }[]>`
        select u.email from studio_import i join users u on u.email = i.j ->> 'email' and u.id <> (i.j ->> 'id')::uuid where i.t = 'users' limit 1`;
      if (taken) throw new TenantLifecycleError('IMPORT_CONFLICT', `users: ${taken.email} already has an account in "${database}" under another id; nothing was imported.`);
      await fill('users', ['id', 'name', 'email', 'email_verified', 'created_at'], 'on conflict (id) do nothing');
      if (database === 'shared' && !options.forMove) {
        await fill('memberships', await columnsOf('memberships'));
        await fill('invitations', await columnsOf('invitations'));
      }
      for (const table of tables) await fill(table.name, table.columns, '', table.withheld);

      // The rows the manifest promises are the rows now in the table.
      for (const table of manifest.tables.filter((t) => t.kind === 'tenant')) {
        const [row] = await tx.unsafe<{ n: number }[]>(`select count(*)::int as n from "${table.name}" where tenant_id = $1`, [tenant.id]);
        if (row!.n !== table.rows) {
          throw new TenantLifecycleError('IMPORT_COUNT_MISMATCH', `${table.name}: ${row!.n} rows after the import, the manifest says ${table.rows}; rolled back.`);
        }
      }
      return counts;
    });
    // The registry row was written: tell the tenant caches (on Citus no trigger does).
    await signalTenantChanged(sql, tenant.id, options.onProgress);
    return { tenant, database, rows };
  } finally {
    await pools.close();
  }
}

