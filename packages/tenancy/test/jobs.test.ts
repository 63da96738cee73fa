import { spawn } from 'node:child_process';
import path from 'node:path';
import { customers } from '@studio/db-schema/schema';
import PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDatabase } from '../src/index';
import { createTenantJobs, TenantJobError, type TenantJob, type TenantJobContext, type TenantJobs } from '../src/jobs';
import { seededDatabase, type SeededDatabase } from './helpers';

let seeded: SeededDatabase;
let db: ReturnType<typeof createDatabase>;
let jobs: TenantJobs;
/** Enqueues crash.test without working it: the hanging child process must be the one to take it. */
let producer: TenantJobs;
let countJob: TenantJob<{ note: string }>;
/** The same work without retries, so a refused job settles at once. */
let onceJob: TenantJob<{ note: string }>;
let failJob: TenantJob<{ n: number }>;
let crashJob: TenantJob<Record<string, never>>;
const seen: { job: string; tenantId: string; rowTenants: string[]; payload: unknown }[] = [];
const failures: { tenantId: string; payload: unknown }[] = [];
let flakyCalls = 0;

beforeAll(async () => {
  seeded = await seededDatabase();
  db = createDatabase({ url: seeded.testDb.urls.app });
  jobs = createTenantJobs({ db, url: seeded.testDb.urls.jobs, pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1 });
  const count = async ({ tdb, tenant, payload, jobId }: TenantJobContext<{ note: string }>) => {
    const rows = await tdb.select({ tenantId: customers.tenantId }).from(customers);
    seen.push({ job: jobId, tenantId: tenant.id, rowTenants: [...new Set(rows.map((r) => r.tenantId))], payload });
  };
  countJob = jobs.defineTenantJob('customers.count', count);
  onceJob = jobs.defineTenantJob('customers.count_once', count, { retryLimit: 0 });
  failJob = jobs.defineTenantJob<{ n: number }>(
    'always.fails',
    async () => {
      flakyCalls++;
      throw new Error('the remote service is down');
    },
    {
      retryLimit: 2,
      retryDelay: 0,
      retryBackoff: false,
      onFailure: async ({ tenant, payload }) => {
        failures.push({ tenantId: tenant.id, payload });
      },
    },
  );
  await jobs.start();
  producer = createTenantJobs({ db, url: seeded.testDb.urls.jobs });
  crashJob = producer.defineTenantJob('crash.test', async () => {}, { retryLimit: 2, retryDelay: 0, expireInSeconds: 3 });
  await producer.start({ workers: false });
}, 60_000);

afterAll(async () => {
  await jobs?.stop(2000);
  await producer?.stop(2000);
  await db?.close();
  await seeded?.close();
});

async function settled(name: string, id: string) {
  let job: Awaited<ReturnType<TenantJobs['job']>> = null;
  await vi.waitFor(
    async () => {
      job = await jobs.job(name, id);
      expect(['completed', 'failed', 'cancelled']).toContain(job?.state);
    },
    { timeout: 20_000, interval: 200 },
  );
  return job!;
}

describe('tenant jobs', () => {
  it("runs acme's job with acme's scoped client: it reads only acme's rows", async () => {
    const a = await countJob.enqueue({ tenantId: seeded.ids.acme }, { note: 'for acme' });
    const g = await countJob.enqueue({ tenant: { id: seeded.ids.globex } }, { note: 'for globex' });
    expect((await settled(countJob.name, a)).state).toBe('completed');
    expect((await settled(countJob.name, g)).state).toBe('completed');
    expect(seen.find((s) => s.job === a)).toMatchObject({ tenantId: seeded.ids.acme, rowTenants: [seeded.ids.acme], payload: { note: 'for acme' } });
    expect(seen.find((s) => s.job === g)).toMatchObject({ tenantId: seeded.ids.globex, rowTenants: [seeded.ids.globex] });
  });

  it('refuses to enqueue without a tenant', async () => {
    const job = countJob;
    await expect(job.enqueue({ tenantId: '' }, { note: 'x' })).rejects.toBeInstanceOf(TenantJobError);
    await expect(job.enqueue({ tenant: { id: 'acme' } }, { note: 'x' })).rejects.toMatchObject({ code: 'TENANT_JOB' });
    await expect(job.enqueue({} as never, { note: 'x' })).rejects.toBeInstanceOf(TenantJobError);
  });

  it('never runs a job that names no tenant, even one sent around enqueue()', async () => {
    const raw = new PgBoss({ connectionString: seeded.testDb.urls.jobs, schema: 'studio_jobs', supervise: false, schedule: false, migrate: false });
    await raw.start();
    try {
      const id = (await raw.send('customers.count_once', { payload: { note: 'sneaky' } }))!;
      const job = await settled('customers.count_once', id);
      expect(job.state).toBe('failed');
      expect(JSON.stringify(job.output)).toContain('names no tenant');
      expect(seen.find((s) => s.job === id)).toBeUndefined();
    } finally {
      await raw.stop({ graceful: false, wait: true });
    }
  });

  it('fails a job whose tenant is suspended, with the reason, without running it', async () => {
    await seeded.owner`update tenants set status = 'suspended', status_reason = 'unpaid invoice' where id = ${seeded.ids.initech}`;
    try {
      const id = await onceJob.enqueue({ tenantId: seeded.ids.initech }, { note: 'suspended' });
      const job = await settled('customers.count_once', id);
      expect(job.state).toBe('failed');
      expect(JSON.stringify(job.output)).toContain('unpaid invoice');
      expect(seen.find((s) => s.job === id)).toBeUndefined();
    } finally {
      await seeded.owner`update tenants set status = 'active', status_reason = null where id = ${seeded.ids.initech}`;
    }
  });

  it('retries, then runs the failure handler with the job’s tenant', async () => {
    const id = await failJob.enqueue({ tenantId: seeded.ids.globex }, { n: 7 });
    const job = await settled('always.fails', id);
    expect(job.state).toBe('failed');
    expect(flakyCalls).toBe(3); // the first attempt and two retries
    await vi.waitFor(() => expect(failures).toContainEqual({ tenantId: seeded.ids.globex, payload: { n: 7 } }), { timeout: 20_000 });
  });

  it('starts after a failed start: a database that refused it at boot does not stop jobs for good', async () => {
    const jobsRole = new URL(seeded.testDb.urls.jobs).username;
    const late = createTenantJobs({ db, url: seeded.testDb.urls.jobs, pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1 });
    const ran: string[] = [];
    const lateJob = late.defineTenantJob('late.start', async ({ tenant }) => void ran.push(tenant.id), { retryLimit: 0 });
    // The queue's schema is out of the jobs role's reach while the first start runs.
    await seeded.owner.unsafe(`revoke usage on schema studio_jobs from "${jobsRole}"`);
    try {
      await expect(late.start()).rejects.toThrow(/permission denied/);
      await expect(lateJob.enqueue({ tenantId: seeded.ids.acme }, {})).rejects.toThrow(/permission denied/);
    } finally {
      await seeded.owner.unsafe(`grant usage on schema studio_jobs to "${jobsRole}"`);
    }
    try {
      await late.start();
      await lateJob.enqueue({ tenantId: seeded.ids.acme }, {});
      await vi.waitFor(() => expect(ran).toEqual([seeded.ids.acme]), { timeout: 20_000, interval: 100 });
    } finally {
      await late.stop(2000);
    }
  }, 60_000);

  it('survives a worker killed mid-job: another worker retries it', async () => {
    const id = await crashJob.enqueue({ tenantId: seeded.ids.acme }, {});
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@studio/source', path.join(import.meta.dirname, 'fixtures/hanging-worker.ts'), seeded.testDb.urls.app, seeded.testDb.urls.jobs], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await vi.waitFor(() => expect(output).toContain(`started ${id}`), { timeout: 30_000, interval: 100 });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect((await jobs.job('crash.test', id))?.state).toBe('active');
    // A new worker (this process) starts: the lost job expires and is retried here.
    const restarted = createTenantJobs({ db, url: seeded.testDb.urls.jobs, pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1 });
    let ranHere = '';
    restarted.defineTenantJob('crash.test', async ({ tenant }) => void (ranHere = tenant.id), { retryLimit: 2, retryDelay: 0, expireInSeconds: 3 });
    await restarted.start();
    try {
      const job = await settled('crash.test', id);
      expect(job.state).toBe('completed');
      expect(job.retryCount).toBeGreaterThanOrEqual(1);
      expect(ranHere).toBe(seeded.ids.acme);
    } finally {
      await restarted.stop(2000);
    }
  }, 60_000);
});

