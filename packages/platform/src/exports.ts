/**
 * Tenant exports started from the admin console: `exportTenant` (ndjson, one snapshot, read as
 * the app role with the tenant's context, C13) run in the background of the console's process.
 * The file and its manifest go to the tenant's own file storage (`tenants/<id>/exports/`); the
 * start, the end and any failure are platform events, so the console can say what is running,
 * what is done, and what a restart interrupted.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { platformEvents, tenants, users } from '@studio/db-schema/schema';
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { AdminDatabase } from './admin-database';
import { recordPlatformEvent, type AdminTx } from './events';
import { parseTenantId } from '@studio/tenancy';
import { TenancyError } from '@studio/tenancy';
import { exportTenant } from '@studio/tenancy/lifecycle';
import { requirePlatformAdmin, type RequestSession } from '@studio/tenancy/request';
import { defaultFileStore, tenantStorage, type FileStore } from '@studio/tenancy/storage';

/** The console holds an export in memory before storing it; bigger tenants export with the CLI. */
export const CONSOLE_EXPORT_MAX_BYTES = 256 * 1024 * 1024;

export interface ExportRun {
  exportId: string;
  tenantId: string;
  tenantSlug: string;
  startedAt: Date;
  /** The admin's email (null if the user is gone). */
  startedBy: string | null;
  /** 'interrupted': started, never finished, and not running in this process (a restart). */
  status: 'running' | 'done' | 'failed' | 'interrupted';
  finishedAt: Date | null;
  /** The file's name under the tenant's `exports/` folder. */
  file: string;
  rows: number | null;
  bytes: number | null;
  error: string | null;
}

export interface StartExportOptions {
  admin: AdminDatabase;
  session: RequestSession;
  tenantId: string;
  /** App role URLs: 'shared' and the placements (what exportTenant reads with). */
  urls: Record<string, string>;
  store?: FileStore;
  maxBytes?: number;
}

const ACTIONS = ['admin.export.start', 'admin.export.done', 'admin.export.fail'];

// Exports running in this process, kept across hot reloads in dev.
const globalRuns = globalThis as unknown as { studioExportRuns?: Map<string, Promise<ExportRun>> };
const running = (globalRuns.studioExportRuns ??= new Map());

/** Export files are named `<slug>-<UTC time>.ndjson`; the manifest sits beside as `.manifest.json`. */
const FILE = /^[a-z0-9-]+-\d{8}T\d{6}Z\.ndjson$/;

export function isExportFileName(name: string): boolean {
  return FILE.test(name) || (name.endsWith('.manifest.json') && FILE.test(name.slice(0, -'.manifest.json'.length)));
}

/**
 * Records the start and runs the export in the background. `done` settles when the file is
 * stored (or the export failed, recorded as such); it never rejects.
 */
export async function startTenantExport(options: StartExportOptions): Promise<{ run: ExportRun; done: Promise<ExportRun> }> {
  const me = requirePlatformAdmin(options.session);
  const id = parseTenantId(options.tenantId);
  const [tenant] = await options.admin.db.select({ slug: tenants.slug }).from(tenants).where(eq(tenants.id, id));
  if (!tenant) throw new TenancyError('TENANT_NOT_FOUND', 'No such tenant: it may have been erased.');
  const exportId = randomUUID();
  const startedAt = new Date();
  const file = `${tenant.slug}-${startedAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}.ndjson`;
  const base = { actorId: me.userId, tenantId: id, tenantSlug: tenant.slug };
  await recordPlatformEvent(options.admin.db, { ...base, action: 'admin.export.start', payload: { exportId, file, format: 'ndjson' } });
  const run: ExportRun = { exportId, tenantId: id, tenantSlug: tenant.slug, startedAt, startedBy: me.email, status: 'running', finishedAt: null, file, rows: null, bytes: null, error: null };

  const maxBytes = options.maxBytes ?? CONSOLE_EXPORT_MAX_BYTES;
  const work = (async (): Promise<ExportRun> => {
    const chunks: Buffer[] = [];
    let size = 0;
    const tooLarge = new TenancyError(
      'EXPORT_TOO_LARGE',
      `The export is larger than ${(maxBytes / 1024 / 1024).toFixed(maxBytes < 1024 * 1024 ? 3 : 0)} MB, too big for the console: run \`pnpm studio tenants export ${tenant.slug}\` instead.`,
    );
    const out = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        // Failing the stream stops the export at its next write.
        if (size > maxBytes) return callback(tooLarge);
        chunks.push(chunk);
        callback();
      },
    });
    // The export sees the failure through its write callbacks; the stream's own event needs a listener.
    out.on('error', () => {});
    try {
      const manifest = await exportTenant({ urls: options.urls, slug: tenant.slug, format: 'ndjson', out });
      if (size > maxBytes) throw tooLarge;
      const storage = tenantStorage({ tenantId: id }, options.store ?? defaultFileStore());
      await storage.put(['exports', file], Buffer.concat(chunks), { contentType: 'application/x-ndjson' });
      await storage.put(['exports', `${file}.manifest.json`], `${JSON.stringify(manifest, null, 2)}\n`, { contentType: 'application/json' });
      const rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
      await recordPlatformEvent(options.admin.db, { ...base, action: 'admin.export.done', payload: { exportId, file, rows, bytes: size, tables: manifest.tables.length } });
      return { ...run, status: 'done', finishedAt: new Date(), rows, bytes: size };
    } catch (error) {
      const message = TenancyError.is(error) ? error.message : `The export failed: ${(error as Error)?.message ?? String(error)}`;
      await recordPlatformEvent(options.admin.db, { ...base, action: 'admin.export.fail', payload: { exportId, file, error: message } }).catch((failure: unknown) =>
        console.error(`[admin] could not record the failure of export ${exportId}:`, failure),
      );
      return { ...run, status: 'failed', finishedAt: new Date(), error: message };
    } finally {
      running.delete(exportId);
    }
  })();
  running.set(exportId, work);
  return { run, done: work };
}

/** A tenant's console exports, newest first, from the platform events (read them through auditedRead). */
export async function listTenantExports(db: AdminDatabase['db'] | AdminTx, tenantId: string, limit = 20): Promise<ExportRun[]> {
  const id = parseTenantId(tenantId);
  const events = await db
    .select({ action: platformEvents.action, createdAt: platformEvents.createdAt, payload: platformEvents.payload, tenantSlug: platformEvents.tenantSlug, actorEmail: users.email })
    .from(platformEvents)
    .leftJoin(users, eq(users.id, platformEvents.actorId))
    .where(and(eq(platformEvents.tenantId, id), inArray(platformEvents.action, ACTIONS)))
    .orderBy(desc(platformEvents.createdAt))
    .limit(limit * 3);
  const runs = new Map<string, ExportRun>();
  // Oldest first, so the start makes the run and its end completes it.
  for (const e of events.reverse()) {
    const p = e.payload as { exportId?: string; file?: string; rows?: number; bytes?: number; error?: string };
    if (!p.exportId) continue;
    if (e.action === 'admin.export.start') {
      runs.set(p.exportId, {
        exportId: p.exportId,
        tenantId: id,
        tenantSlug: e.tenantSlug ?? '',
        startedAt: e.createdAt,
        startedBy: e.actorEmail,
        status: running.has(p.exportId) ? 'running' : 'interrupted',
        finishedAt: null,
        file: p.file ?? '',
        rows: null,
        bytes: null,
        error: null,
      });
      continue;
    }
    const run = runs.get(p.exportId);
    if (!run) continue;
    run.finishedAt = e.createdAt;
    if (e.action === 'admin.export.done') Object.assign(run, { status: 'done', rows: p.rows ?? null, bytes: p.bytes ?? null });
    else Object.assign(run, { status: 'failed', error: p.error ?? 'failed' });
  }
  return [...runs.values()].reverse().slice(0, limit);
}
