/**
 * `tenants export`: every row of every tenant table for one tenant, plus its platform rows (the
 * tenant, its memberships and members, its invitations), from one consistent snapshot, streamed
 * with COPY. Runs as the app role with the tenant's context, so RLS and the explicit
 * `tenant_id = ` filter both keep other tenants out (C13). A manifest records per-table row
 * counts and SHA-256 checksums of the exported lines.
 */
import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import * as defaultSchema from '@studio/db-schema/schema';
import { getTableConfig } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import { parseTenantId } from '../database';
import { TenancyError } from '../errors';
import { tenantTablesOf } from '../tables';

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

export class TenantLifecycleError extends TenancyError {
  constructor(code: string, message: string) {
    super(code, message);
  }
}

export interface ExportOptions {
  /** App role URLs: 'shared' and any placements. */
  urls: Record<string, string>;
  slug: string;
  format?: ExportFormat;
  out: Writable;
  schema?: Record<string, unknown>;
  /** Called as rows stream (at most every 10,000 rows, and at each table's end). */
  onProgress?: (progress: { table: string; rows: number; bytes: number; totalRows: number; totalBytes: number }) => void;
}

/** Platform rows that belong to the tenant: what they are, and the query that selects them. */
const PLATFORM: { name: string; query: (id: string) => string }[] = [
  { name: 'tenants', query: (id) => `select * from tenants where id = '${id}'` },
  { name: 'memberships', query: (id) => `select * from memberships where tenant_id = '${id}'` },
  // The members themselves, without anything secret (credentials stay in accounts, not exported).
  {
    name: 'users',
    query: (id) => `select u.id, u.name, u.email, u.email_verified, u.created_at from users u where u.id in (select user_id from memberships where tenant_id = '${id}')`,
  },
  { name: 'invitations', query: (id) => `select * from invitations where tenant_id = '${id}'` },
];

function write(out: Writable, chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (out.write(chunk, (error) => (error ? reject(error) : undefined))) resolve();
    else out.once('drain', resolve);
  });
}

/** Streams a COPY ... TO STDOUT into `onLines`, a chunk's whole lines at a time. */
async function copyLines(sql: postgres.Sql | postgres.TransactionSql, statement: string, onLines: (lines: string[]) => Promise<void>): Promise<void> {
  const stream = await sql.unsafe(statement).readable();
  let rest = '';
  for await (const chunk of stream) {
    const lines = (rest + (chunk as Buffer).toString('utf8')).split('\n');
    rest = lines.pop()!;
    if (lines.length > 0) await onLines(lines);
  }
  if (rest) await onLines([rest]);
}

/** A JSON document as COPY's text format wrote it, back to JSON (only backslashes are doubled). */
function unescapeCopyText(line: string): string {
  return line.includes('\\') ? line.replaceAll('\\\\', '\\') : line;
}

export async function exportTenant(options: ExportOptions): Promise<ExportManifest> {
  const format = options.format ?? 'ndjson';
  if (!/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(options.slug)) {
    throw new TenantLifecycleError('TENANT_SLUG_INVALID', `"${options.slug}" is not a tenant slug (lowercase letters, digits and hyphens).`);
  }
  const shared = postgres(options.urls.shared!, { max: 1, onnotice: () => {} });
  let placementSql: postgres.Sql | undefined;
  try {
    const [tenant] = await shared<{ id: string; slug: string; name: string; placement: string }[]>`
      select id, slug, name, placement from tenants where slug = ${options.slug}`;
    if (!tenant) throw new TenantLifecycleError('TENANT_NOT_FOUND', `No tenant "${options.slug}". \`pnpm studio tenants list\` shows them.`);
    const id = parseTenantId(tenant.id);
    const placementUrl = options.urls[tenant.placement];
    if (!placementUrl) {
      throw new TenantLifecycleError('TENANT_PLACEMENT_UNKNOWN', `${tenant.slug} lives in "${tenant.placement}", which DATABASE_PLACEMENTS does not name.`);
    }
    const manifest: ExportManifest = { version: 1, format, tenant: { ...tenant, id }, exportedAt: new Date().toISOString(), tables: [] };
    let totalRows = 0;
    let totalBytes = 0;

    const dump = async (sql: postgres.TransactionSql, name: string, kind: ExportedTable['kind'], select: string, columns: string[]) => {
      const hash = createHash('sha256');
      let rows = 0;
      let bytes = 0;
      const prefix = `{"table":${JSON.stringify(name)},"row":`;
      let nextProgress = 10_000;
      const emit = async (lines: string[]) => {
        let text = '';
        for (const line of lines) {
          hash.update(line).update('\n');
          bytes += line.length + 1;
          text += format === 'ndjson' ? `${prefix}${line}}\n` : `${line}\n`;
        }
        rows += lines.length;
        totalRows += lines.length;
        totalBytes = totalBytes + text.length;
        // One write per chunk, waiting only when the destination asks us to (backpressure).
        await write(options.out, text);
        if (rows >= nextProgress) {
          nextProgress = rows + 10_000;
          options.onProgress?.({ table: name, rows, bytes, totalRows, totalBytes });
        }
      };
      if (format === 'ndjson') {
        // COPY's text format only doubles backslashes here: row_to_json escapes every control
        // character, so no raw newline or tab can reach COPY's own escaping.
        await copyLines(sql, `copy (select row_to_json(x)::text from (${select}) x) to stdout`, (lines) => emit(lines.map(unescapeCopyText)));
      } else {
        await write(options.out, `COPY ${JSON.stringify(name)} (${columns.map((c) => JSON.stringify(c)).join(', ')}) FROM stdin;\n`);
        await copyLines(sql, `copy (${select}) to stdout`, emit);
        await write(options.out, '\\.\n\n');
      }
      options.onProgress?.({ table: name, rows, bytes, totalRows, totalBytes });
      manifest.tables.push({ name, kind, rows, bytes, sha256: hash.digest('hex') });
    };

    const snapshot = async <T>(sqlClient: postgres.Sql, fn: (tx: postgres.TransactionSql) => Promise<T>) =>
      sqlClient.begin('isolation level repeatable read read only', async (tx) => {
        await tx`select set_config('app.tenant_id', ${id}, true)`;
        return fn(tx);
      }) as Promise<T>;

    if (format === 'sql') await write(options.out, `-- Export of tenant ${tenant.slug} (${id}), ${manifest.exportedAt}\n\n`);
    await snapshot(shared, async (tx) => {
      for (const p of PLATFORM) {
        const statement = await tx.unsafe(p.query(id)).describe();
        const columns = statement.columns.map((c) => c.name);
        await dump(tx, p.name, 'platform', p.query(id), columns);
      }
    });
    placementSql = tenant.placement === 'shared' ? shared : postgres(placementUrl, { max: 1, onnotice: () => {} });
    await snapshot(placementSql, async (tx) => {
      for (const table of tenantTablesOf(options.schema ?? (defaultSchema as Record<string, unknown>))) {
        const config = getTableConfig(table);
        const columns = config.columns.map((c) => c.name);
        const select = `select ${columns.map((c) => `"${c}"`).join(', ')} from "${config.name}" where tenant_id = '${id}' order by id`;
        await dump(tx, config.name, 'tenant', select, columns);
      }
    });
    return manifest;
  } finally {
    if (placementSql && placementSql !== shared) await placementSql.end({ timeout: 5 });
    await shared.end({ timeout: 5 });
  }
}
