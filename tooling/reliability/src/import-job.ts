/**
 * The job the worker-kill fault runs: a tenant import of `rows` customers, each with its audit
 * row, in one transaction, slowly (a pause between rows), so a worker can be killed half-way.
 * Run as a process (`node --import tsx import-job.ts <app url> worker <jobs url>`) it works until killed.
 */
import { customers } from '@studio/db-schema/schema';
import { createDatabase, type Database } from '@studio/tenancy';
import { createTenantJobs } from '@studio/tenancy/jobs';

export const IMPORT_JOB = 'reliability.import';
export interface ImportPayload {
  marker: string;
  rows: number;
}

export function defineImportJob(db: Database, url: string) {
  const jobs = createTenantJobs({ db, url, pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1 });
  const job = jobs.defineTenantJob<ImportPayload>(
    IMPORT_JOB,
    async ({ tdb, payload, jobId }) => {
      console.log(`started ${jobId}`);
      await tdb.transaction(async (tx) => {
        for (let i = 0; i < payload.rows; i++) {
          const name = `${payload.marker}-${i}`;
          await tx.audited({ action: 'customer.import', target: name }).insert(customers).values({ name });
          // A pause in the worker, not pg_sleep(): the guard refuses it to products (C15).
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      });
    },
    // A worker that dies holds the job until it expires; then another worker retries it.
    { retryLimit: 2, retryDelay: 0, expireInSeconds: 3 },
  );
  return { jobs, job };
}

if (process.argv[3] === 'worker') {
  const url = process.argv[2]!;
  const db = createDatabase({ url, tenantCache: { listen: false }, applicationName: 'studio:worker' });
  const { jobs } = defineImportJob(db, process.argv[4]!);
  await jobs.start();
  console.log('ready');
}
