/**
 * `tenants export`: every row of every tenant table for one tenant, plus its platform rows (the
 * tenant, its memberships and members, its invitations), from one consistent snapshot, streamed
 * with COPY. Runs as the app role with the tenant's context, so RLS and the explicit
 * `tenant_id = ` filter both keep other tenants out (C13). A manifest records per-table row
 * counts and SHA-256 checksums of the exported lines. Columns the schema marks secret (token
 * hashes, invitation ids: C16) are never exported, whoever runs it; only `tenants move` copies
 * them, and not through here.
 */
import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import postgres from 'postgres';
import { parseTenantId } from '../ids';
import { bindTenant, checkSlug, isCitus, platformColumns, tenantTables, TenantLifecycleError, type TenantTableInfo } from './common';

export type ExportFormat = 'ndjson' | 'sql';

export interface ExportedTable {
  name: string;
  kind: 'platform' | 'tenant';
  rows: number;
  bytes: number;
  sha256: string;
}

export interface ExportManifest {
  version: 1;
  format: ExportFormat;
  tenant: { id: string; slug: string; name: string; placement: string };
  exportedAt: string;
  tables: ExportedTable[];
}

export { TenantLifecycleError };

export interface ExportOptions {
  /** App role URLs: 'shared' and any placements. */
  urls: Record<string, string>;
  slug: string;
  /** When set, the tenant named `slug` must have this id (the scoped client's own: exportOwnTenant). */
  tenantId?: string;
  format?: ExportFormat;
  out: Writable;
  schema?: Record<string, unknown>;
  /** false: the tenant tables alone (what a move copies and verifies). */
  platform?: boolean;
  /** Read the tenant tables from this placement instead of the registry's (a move verifying its copy). */
  from?: string;
  /** Called as rows stream (at most every 10,000 rows, and at each table's end). */
  onProgress?: (progress: ExportProgress) => void;
}

export interface ExportProgress {
  table: string;
  rows: number;
  bytes: number;
  totalRows: number;
  totalBytes: number;
  /** Tables finished, of `tablesTotal` (platform and tenant tables): a measure of how far along it is. */
  tablesDone: number;
  tablesTotal: number;
}

/** Platform rows that belong to the tenant: what they are, and the query that selects them. */
export function platformQueries(
  tables: TenantTableInfo[],
  /**
   * false: leave invitations out. A product's export reads as the product role, which cannot read
   * them (C15): an invitation id is the secret of an invite link (C16).
   */
  options: { invitations?: boolean } = {},
): { name: string; query: (id: string) => string }[] {
  const invitations = options.invitations !== false;
  // Users: the members, whoever invited someone, and whoever tenant rows point at (an author
  // who left), so the rows load in another database. Nothing secret: credentials stay in accounts.
  const referenced = (id: string) =>
    [
      `select user_id from memberships where tenant_id = '${id}'`,
      ...(invitations ? [`select inviter_id from invitations where tenant_id = '${id}'`] : []),
      ...tables.flatMap((t) => t.userColumns.map((c) => `select "${c}" from "${t.name}" where tenant_id = '${id}'`)),
    ].join(' union ');
  // Every column but the secret ones (C16): an invitation goes without its id, the link's secret.
  const list = (name: string) => platformColumns(name)!.map((c) => `"${c}"`).join(', ');
  return [
    // The tenant's plan, which its registry row references (an import needs it in the target).
    { name: 'plans', query: (id) => `select ${list('plans')} from plans where id = (select plan from tenants where id = '${id}')` },
    { name: 'tenants', query: (id) => `select ${list('tenants')} from tenants where id = '${id}'` },
    { name: 'users', query: (id) => `select u.id, u.name, u.email, u.email_verified, u.created_at from users u where u.id in (${referenced(id)}) order by u.id` },
    { name: 'memberships', query: (id) => `select ${list('memberships')} from memberships where tenant_id = '${id}' order by id` },
    ...(invitations ? [{ name: 'invitations', query: (id: string) => `select ${list('invitations')} from invitations where tenant_id = '${id}' order by created_at, email` }] : []),
  ];
}

function write(out: Writable, chunk: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    if (out.write(chunk, (error) => (error ? reject(error) : undefined))) resolve();
    else out.once('drain', resolve);
  });
}

/**
 * COPY options that hand a single JSON column through untouched: CSV never quotes or escapes a
 * value unless it holds the quote, the delimiter or a line break, and row_to_json writes every
 * control character (these two included) and every line break as a \u escape.
 */
const RAW_JSON_COPY = "with (format csv, quote e'\\x01', delimiter e'\\x02')";

/** Counts the line feeds in a chunk: one per exported row. */
function countLines(chunk: Buffer): number {
  let n = 0;
  for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) n++;
  return n;
}

export async function exportTenant(options: ExportOptions): Promise<ExportManifest> {
  const format = options.format ?? 'ndjson';
  checkSlug(options.slug);
  const shared = postgres(options.urls.shared!, { max: 1, onnotice: () => {} });
  let placementSql: postgres.Sql | undefined;
  let helperSql: postgres.Sql | undefined;
  try {
    const [tenant] = await shared<{ id: string; slug: string; name: string; placement: string }[]>`
      select id, slug, name, placement from tenants where slug = ${options.slug}`;
    if (!tenant || (options.tenantId !== undefined && tenant.id !== options.tenantId)) throw new TenantLifecycleError('TENANT_NOT_FOUND', `No tenant "${options.slug}". \`pnpm studio tenants list\` shows them.`);
    const id = parseTenantId(tenant.id);
    const placementKey = options.from ?? tenant.placement;
    const placementUrl = options.urls[placementKey];
    if (!placementUrl) {
      throw new TenantLifecycleError('TENANT_PLACEMENT_UNKNOWN', `${tenant.slug} lives in "${tenant.placement}", which DATABASE_PLACEMENTS does not name.`);
    }
    const manifest: ExportManifest = { version: 1, format, tenant: { ...tenant, id }, exportedAt: new Date().toISOString(), tables: [] };
    let totalRows = 0;
    let totalBytes = 0;

    /**
     * Streams one table. `sources` are COPY statements, each on its own connection of the same
     * snapshot; their chunks (whole rows: Postgres sends one row per CopyData) are written as
     * they come, one at a time, and the checksum covers them in the order written.
     */
    const dump = async (sources: { tx: postgres.TransactionSql; statement: string }[], name: string, kind: ExportedTable['kind'], columns: string[]) => {
      // The checksum covers the table's lines exactly as written (each with its line feed), so
      // an importer can verify them without re-encoding anything.
      const hash = createHash('sha256');
      let rows = 0;
      let bytes = 0;
      let nextProgress = 10_000;
      if (format === 'sql') await write(options.out, `COPY ${JSON.stringify(name)} (${columns.map((c) => JSON.stringify(c)).join(', ')}) FROM stdin;\n`);
      let writing = Promise.resolve();
      const take = (chunk: Buffer) =>
        (writing = writing.then(async () => {
          hash.update(chunk);
          const lines = countLines(chunk);
          rows += lines;
          totalRows += lines;
          bytes += chunk.length;
          totalBytes += chunk.length;
          // Wait only when the destination asks us to (backpressure).
          await write(options.out, chunk);
          if (rows >= nextProgress) {
            nextProgress = rows + 10_000;
            options.onProgress?.({ table: name, rows, bytes, totalRows, totalBytes, tablesDone: manifest.tables.length, tablesTotal });
          }
        }));
      await Promise.all(
        sources.map(async ({ tx, statement }) => {
          const stream = await tx.unsafe(statement).readable();
          for await (const chunk of stream as AsyncIterable<Buffer>) await take(chunk);
        }),
      );
      await writing;
      if (format === 'sql') await write(options.out, '\\.\n\n');
      manifest.tables.push({ name, kind, rows, bytes, sha256: hash.digest('hex') });
      options.onProgress?.({ table: name, rows, bytes, totalRows, totalBytes, tablesDone: manifest.tables.length, tablesTotal });
    };
    /** The COPY of one query's rows, as ndjson lines built by Postgres or as COPY text. */
    const copyOf = (name: string, select: string, rowSource = `(${select}) x`) =>
      format === 'ndjson'
        ? `copy (select '{"table":${JSON.stringify(name)},"row":' || row_to_json(x)::text || '}' from ${rowSource}) to stdout ${RAW_JSON_COPY}`
        : `copy (${select}) to stdout`;

    const snapshot = async <T>(sqlClient: postgres.Sql, fn: (tx: postgres.TransactionSql, citus: boolean) => Promise<T>) => {
      const citus = await isCitus(sqlClient);
      return sqlClient.begin('isolation level repeatable read read only', async (tx) => {
        await bindTenant(tx, id, citus);
        // Timestamps in JSON follow the session's TimeZone: fix it, so the same rows always
        // export to the same bytes (import verifies by checksum).
        await tx`set local timezone to 'UTC'`;
        return fn(tx, citus);
      }) as Promise<T>;
    };

    if (format === 'sql') await write(options.out, `-- Export of tenant ${tenant.slug} (${id}), ${manifest.exportedAt}\n\n`);
    const tables = tenantTables(options.schema);
    // What this role may read: the owner (moves, the CLI) exports invitations, a product does not.
    const [{ invitations }] = (await shared`select has_table_privilege('invitations', 'SELECT') as invitations`) as unknown as [{ invitations: boolean }];
    const platformRows = platformQueries(tables, { invitations });
    const tablesTotal = (options.platform !== false ? platformRows.length : 0) + tables.length;
    if (options.platform !== false) await snapshot(shared, async (tx) => {
      for (const p of platformRows) {
        const statement = await tx.unsafe(p.query(id)).describe();
        const columns = statement.columns.map((c) => c.name);
        await dump([{ tx, statement: copyOf(p.name, p.query(id)) }], p.name, 'platform', columns);
      }
    });
    placementSql = placementKey === 'shared' ? shared : postgres(placementUrl, { max: 1, onnotice: () => {} });
    // ndjson is encoded by Postgres, one core per connection: a second connection on the same
    // snapshot encodes half of each big table's rows (split on the uuid's last bit).
    helperSql = format === 'ndjson' ? postgres(placementUrl, { max: 1, onnotice: () => {} }) : undefined;
    await snapshot(placementSql, async (tx, citus) => {
      const [{ snap }] = (await tx`select pg_export_snapshot() as snap`) as unknown as [{ snap: string }];
      const run = async (helper: postgres.TransactionSql | undefined) => {
        for (const table of tables) {
          const where = `where tenant_id = '${id}'${table.orderBy ? ` order by ${table.orderBy}` : ''}`;
          // The listed columns only, in both formats: never a secret one (C16).
          const list = table.columns.map((c) => `"${c}"`).join(', ');
          const select = `select ${list} from "${table.name}" ${where}`;
          const split = helper && !table.orderBy && table.columns.includes('id');
          const sources = split
            ? [0, 1].map((half) => ({
                tx: half === 0 ? tx : helper,
                statement: copyOf(table.name, select, `(select ${list} from "${table.name}" where tenant_id = '${id}' and (get_byte(uuid_send(id), 15) & 1) = ${half}) x`),
              }))
            : [{ tx, statement: copyOf(table.name, select) }];
          await dump(sources, table.name, 'tenant', table.columns);
        }
      };
      // On Citus an exported snapshot is the coordinator's only (the workers' differ): one connection reads it all.
      if (!helperSql || citus || !/^[0-9A-F-]+$/i.test(snap)) return run(undefined);
      return helperSql.begin('isolation level repeatable read read only', async (helper) => {
        await helper.unsafe(`set transaction snapshot '${snap}'`);
        await bindTenant(helper, id, false);
        await helper`set local timezone to 'UTC'`;
        return run(helper);
      });
    });
    return manifest;
  } finally {
    if (placementSql && placementSql !== shared) await placementSql.end({ timeout: 5 });
    await helperSql?.end({ timeout: 5 });
    await shared.end({ timeout: 5 });
  }
}
