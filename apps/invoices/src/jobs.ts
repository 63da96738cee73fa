import 'server-only';
import { randomUUID } from 'node:crypto';
import { auditEvents, customers, invoices } from '@studio/db-schema/schema';
import { audit, createTenantJobs, tenantStorage, type TenantDb, type TenantJob, type TenantJobs, type TenantScope } from '@studio/tenancy';
import { asc, count, gt } from 'drizzle-orm';
import { getDb } from './db';
import { env } from './env';

/** Where an export stands; kept beside the export in the tenant's storage. */
export interface ExportStatus {
  id: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  /** Rows written so far, of `total`. */
  done: number;
  total: number;
  requestedAt: string;
  finishedAt?: string;
  /** Why it failed, in words. */
  message?: string;
  bytes?: number;
}

interface ExportPayload {
  exportId: string;
}

const EXPORT_ID = /^[0-9a-f-]{36}$/;
const PAGE = 500;

const statusPath = (id: string) => ['exports', `${id}.status.json`];
export const exportFilePath = (id: string) => ['exports', `${id}.json`];

export async function exportStatus(scope: TenantScope, id: string): Promise<ExportStatus | null> {
  if (!EXPORT_ID.test(id)) return null;
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

/** Every row of a tenant table, a page at a time in primary-key order, reported as it goes. */
async function* pages<T extends { id: string }>(read: (after: string | null) => Promise<T[]>): AsyncGenerator<T[]> {
  let after: string | null = null;
  for (;;) {
    const rows = await read(after);
    if (rows.length > 0) yield rows;
    if (rows.length < PAGE) return;
    after = rows.at(-1)!.id;
  }
}

/** Writes the tenant's customers, invoices and audit trail as one JSON document, with progress. */
async function runExport(tdb: TenantDb, exportId: string): Promise<void> {
  const previous = await exportStatus(tdb, exportId);
  const status: ExportStatus = previous ?? { id: exportId, state: 'queued', done: 0, total: 0, requestedAt: new Date().toISOString() };
  const [[c], [i], [a]] = await Promise.all([
    tdb.select({ n: count() }).from(customers),
    tdb.select({ n: count() }).from(invoices),
    tdb.select({ n: count() }).from(auditEvents),
  ]);
  Object.assign(status, { state: 'running', done: 0, total: (c?.n ?? 0) + (i?.n ?? 0) + (a?.n ?? 0), message: undefined });
  await saveStatus(tdb, status);

  const parts: string[] = [];
  const section = async <T extends { id: string }>(name: string, read: (after: string | null) => Promise<T[]>) => {
    const rows: string[] = [];
    for await (const page of pages(read)) {
      for (const row of page) rows.push(JSON.stringify(row));
      status.done += page.length;
      await saveStatus(tdb, status);
    }
    parts.push(`${JSON.stringify(name)}: [\n${rows.join(',\n')}\n]`);
  };
  await section('customers', (after) => tdb.select().from(customers).where(after ? gt(customers.id, after) : undefined).orderBy(asc(customers.id)).limit(PAGE));
  await section('invoices', (after) => tdb.select().from(invoices).where(after ? gt(invoices.id, after) : undefined).orderBy(asc(invoices.id)).limit(PAGE));
  await section('audit_events', (after) =>
    tdb.select().from(auditEvents).where(after ? gt(auditEvents.id, after) : undefined).orderBy(asc(auditEvents.id)).limit(PAGE),
  );
  const document = `{\n"tenant": ${JSON.stringify({ id: tdb.tenant.id, slug: tdb.tenant.slug, name: tdb.tenant.name })},\n"exportedAt": ${JSON.stringify(new Date().toISOString())},\n${parts.join(',\n')}\n}\n`;
  await tenantStorage(tdb).put(exportFilePath(exportId), document, { contentType: 'application/json' });
  await audit(tdb, { action: 'export.completed', target: exportId, payload: { rows: status.done, bytes: Buffer.byteLength(document) } });
  Object.assign(status, { state: 'done', finishedAt: new Date().toISOString(), bytes: Buffer.byteLength(document) });
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
    const jobs = createTenantJobs({ db: getDb(), url: env.databaseUrl, applicationName: 'invoices:jobs', pollingIntervalSeconds: 1 });
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
