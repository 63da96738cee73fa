import 'server-only';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { audit } from '@studio/tenancy/audit';
import { createTenantJobs, type TenantJob, type TenantJobs, type TenantScope } from '@studio/tenancy/jobs';
import { exportOwnTenant } from '@studio/tenancy/export';
import { isUuid, type TenantDb } from '@studio/tenancy';
import { tenantStorage } from '@studio/tenancy/storage';
import { getDb } from './product';
import { env } from './env';

/** Where an export stands; kept beside the export in the tenant's storage. */
export interface ExportStatus {
  id: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  /** Tables exported so far, of `total` (the progress bar). */
  done: number;
  total: number;
  /** Rows written so far. */
  rows?: number;
  requestedAt: string;
  finishedAt?: string;
  /** Why it failed, in words. */
  message?: string;
  bytes?: number;
}

interface ExportPayload {
  exportId: string;
}

const statusPath = (id: string) => ['exports', `${id}.status.json`];
export const exportFilePath = (id: string) => ['exports', `${id}.ndjson`];

export async function exportStatus(scope: TenantScope, id: string): Promise<ExportStatus | null> {
  if (!isUuid(id)) return null;
  const bytes = await tenantStorage(scope).get(statusPath(id));
  return bytes ? (JSON.parse(new TextDecoder().decode(bytes)) as ExportStatus) : null;
}

async function saveStatus(scope: TenantScope, status: ExportStatus): Promise<void> {
  await tenantStorage(scope).put(statusPath(status.id), JSON.stringify(status), { contentType: 'application/json' });
}

/** The tenant's exports, newest first. */
export async function listExports(scope: TenantScope): Promise<ExportStatus[]> {
  const files = await tenantStorage(scope).list(['exports']);
  const ids = files.map((f) => f.at(-1)!).filter((name) => name.endsWith('.status.json')).map((name) => name.slice(0, -'.status.json'.length));
  const all = await Promise.all(ids.map((id) => exportStatus(scope, id)));
  return all.filter((s): s is ExportStatus => s !== null).sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
}

/**
 * The tenant's export (C13): `exportOwnTenant`, the CLI's and the console's export engine bound
 * to the job's own tenant: one snapshot read as the app role with the tenant's context, ndjson
 * with a manifest of row counts and checksums. Progress (tables done of all) is saved beside it as it goes.
 */
async function runExport(tdb: TenantDb, exportId: string): Promise<void> {
  const previous = await exportStatus(tdb, exportId);
  const status: ExportStatus = { ...(previous ?? { id: exportId, requestedAt: new Date().toISOString() }), state: 'running', done: 0, total: 0, message: undefined };
  await saveStatus(tdb, status);
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  // Progress callbacks come while rows stream: saves are chained, never concurrent.
  let saving = Promise.resolve();
  const manifest = await exportOwnTenant(tdb, {
    urls: { ...env.placements, shared: env.databaseUrl },
    format: 'ndjson',
    out,
    onProgress: (p) => {
      Object.assign(status, { done: p.tablesDone, total: p.tablesTotal, rows: p.totalRows });
      const snapshot = { ...status };
      saving = saving.then(() => saveStatus(tdb, snapshot));
    },
  });
  await saving;
  const body = Buffer.concat(chunks);
  const storage = tenantStorage(tdb);
  await storage.put(exportFilePath(exportId), body, { contentType: 'application/x-ndjson' });
  await storage.put(['exports', `${exportId}.manifest.json`], `${JSON.stringify(manifest, null, 2)}\n`, { contentType: 'application/json' });
  const rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
  await audit(tdb, { action: 'export.completed', target: exportId, payload: { rows, bytes: body.length } });
  Object.assign(status, { state: 'done', rows, finishedAt: new Date().toISOString(), bytes: body.length });
  await saveStatus(tdb, status);
}

interface Jobs {
  jobs: TenantJobs;
  exportData: TenantJob<ExportPayload>;
}

const globalForJobs = globalThis as unknown as { studioJobs?: Jobs };

/** The app's tenant jobs (C9) on the background pool; workers start with the server (instrumentation.ts). */
export function getJobs(): Jobs {
  if (!globalForJobs.studioJobs) {
    const jobs = createTenantJobs({ db: getDb(), url: env.jobsDatabaseUrl, applicationName: 'invoices:jobs', pollingIntervalSeconds: 1 });
    const exportData = jobs.defineTenantJob<ExportPayload>('invoices.export', ({ tdb, payload }) => runExport(tdb, payload.exportId), {
      retryLimit: 2,
      retryDelay: 2,
      // After the last retry: say so on the page (with the job's tenant, as every handler runs).
      onFailure: async ({ tdb, payload }) => {
        const status = await exportStatus(tdb, payload.exportId);
        if (status) await saveStatus(tdb, { ...status, state: 'failed', message: 'The export failed after several attempts. Try again later.', finishedAt: new Date().toISOString() });
      },
    });
    globalForJobs.studioJobs = { jobs, exportData };
  }
  return globalForJobs.studioJobs;
}

/** Queues an export of the scope's tenant; its status says "queued" at once. */
export async function startExport(scope: TenantScope): Promise<string> {
  const exportId = randomUUID();
  await saveStatus(scope, { id: exportId, state: 'queued', done: 0, total: 0, requestedAt: new Date().toISOString() });
  await getJobs().exportData.enqueue(scope, { exportId });
  return exportId;
}
