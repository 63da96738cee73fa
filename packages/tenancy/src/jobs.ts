/**
 * Tenant jobs (C9) on pg-boss (a Postgres queue: no extra server). A job carries its tenant:
 * `enqueue(scope, payload)` refuses a scope without a valid tenant, and the worker runs the
 * handler with that tenant's scoped client, on the background pool. Retries run the same way,
 * and so does the failure handler after the last retry (a dead-letter queue keeps the tenant).
 * A job with no tenant, or whose tenant is gone or suspended, fails without running.
 */
import PgBoss from 'pg-boss';
import type { Database } from './database';
import { BACKGROUND_SESSION, sessionOptions } from './scoped/executor';
import { scopeTenantId, type TenantScope } from './internal/scope';
import { InvalidTenantIdError, TenancyError } from './errors';
import type { TenantDb, TenantInfo } from './scoped/tenant-db';

export type { TenantScope };

export class TenantJobError extends TenancyError {
  constructor(message: string) {
    super('TENANT_JOB', message);
  }
}

export interface TenantJobContext<P> {
  /** The job's tenant's scoped client (background pool; the actor is the system). */
  tdb: TenantDb;
  tenant: TenantInfo;
  payload: P;
  jobId: string;
}

export interface TenantJobOptions<P> {
  /** Attempts after the first (default 3). */
  retryLimit?: number;
  /** Seconds before the first retry (default 2), doubled each time with `retryBackoff` (default true). */
  retryDelay?: number;
  retryBackoff?: boolean;
  /** A job running longer than this is presumed lost (its worker died) and retried (default 300 s). */
  expireInSeconds?: number;
  /** Runs once after the last retry failed, with the job's tenant (not without one). */
  onFailure?: (ctx: TenantJobContext<P>) => Promise<void>;
}

export interface TenantJob<P> {
  readonly name: string;
  /** Queues the job for the scope's tenant; returns the job id. */
  enqueue(scope: TenantScope, payload: P, options?: { startAfter?: Date | number }): Promise<string>;
}

interface JobData<P> {
  tenantId?: unknown;
  payload: P;
}

interface Definition {
  name: string;
  handler: (ctx: TenantJobContext<unknown>) => Promise<void>;
  options: TenantJobOptions<unknown>;
}

const NAME = /^[a-z][a-z0-9_.-]{0,80}$/;
const deadLetterOf = (name: string) => `${name}__dead`;

export interface TenantJobsConfig {
  db: Database;
  /** The app role's URL of the shared database. */
  url: string;
  /** How often an idle worker looks for work (default 2 s). */
  pollingIntervalSeconds?: number;
  /** How often expired jobs are found and retried (default 60 s). */
  maintenanceIntervalSeconds?: number;
  applicationName?: string;
}

export function createTenantJobs(config: TenantJobsConfig) {
  const newBoss = () => {
    const created = new PgBoss({
      connectionString: config.url,
      schema: 'studio_jobs',
      max: 4,
      application_name: config.applicationName ?? 'studio:jobs',
      // Pinned like every pool (C15): a setting the jobs role gives itself does not reach it.
      // PgBouncer refuses startup options: behind it, the pooler's own configuration pins them.
      ...(config.db.pooler === 'transaction' ? {} : { options: sessionOptions(BACKGROUND_SESSION) }),
      maintenanceIntervalSeconds: config.maintenanceIntervalSeconds ?? 60,
      schedule: false,
      // db:migrate installs and upgrades the queue's tables as the owner; the app only uses them.
      migrate: false,
    });
    created.on('error', (error) => console.error('[jobs]', error));
    return created;
  };
  let boss = newBoss();
  const definitions = new Map<string, Definition>();
  let started: Promise<void> | undefined;

  async function tenantFor(data: JobData<unknown> | undefined): Promise<{ tdb: TenantDb; tenant: TenantInfo }> {
    if (!data || typeof data.tenantId !== 'string') throw new TenantJobError('This job names no tenant; it was not run.');
    let tdb: TenantDb;
    try {
      tdb = await config.db.tenant(data.tenantId, { pool: 'background', actor: { userId: null } });
    } catch (error) {
      if (TenancyError.is(error)) throw new TenantJobError(`Not run: ${error.message}`);
      throw error;
    }
    return { tdb, tenant: tdb.tenant };
  }

  async function ensureStarted(): Promise<void> {
    started ??= boss.start().then(
      () => undefined,
      (error: unknown) => {
        // pg-boss 10 never starts an instance whose start() failed (a later start() returns at
        // once, started or not): the next call starts a new one, so a database that was down at
        // boot does not stop this process's jobs for good.
        started = undefined;
        const failed = boss;
        boss = newBoss();
        void failed.stop({ graceful: false, wait: false }).catch(() => {});
        throw error;
      },
    );
    await started;
  }

  return {
    /** Declares a job. Call before start(); the name is the queue's (lowercase, dots allowed). */
    defineTenantJob<P>(name: string, handler: (ctx: TenantJobContext<P>) => Promise<void>, options: TenantJobOptions<P> = {}): TenantJob<P> {
      if (!NAME.test(name)) throw new TypeError(`Job name ${JSON.stringify(name)}: lowercase letters, digits, '.', '_' or '-'.`);
      if (definitions.has(name)) throw new TypeError(`Job ${name} is defined twice.`);
      definitions.set(name, { name, handler: handler as Definition['handler'], options: options as TenantJobOptions<unknown> });
      return {
        name,
        async enqueue(scope, payload, enqueueOptions = {}) {
          let tenantId: string;
          try {
            tenantId = scopeTenantId(scope);
          } catch (error) {
            if (error instanceof InvalidTenantIdError) throw new TenantJobError(`Job ${name} needs a tenant: enqueue(ctx, payload) with the request's context.`);
            throw error;
          }
          await ensureStarted();
          const id = await boss.send(name, { tenantId, payload } satisfies JobData<P>, { startAfter: enqueueOptions.startAfter });
          if (!id) throw new TenantJobError(`Job ${name} was not queued (is its queue created? call jobs.start() first).`);
          return id;
        },
      };
    },

    /** Creates the queues and, unless `workers: false`, starts a worker per job. */
    async start(options: { workers?: boolean } = {}): Promise<void> {
      await ensureStarted();
      for (const d of definitions.values()) {
        const retry = {
          retryLimit: d.options.retryLimit ?? 3,
          retryDelay: d.options.retryDelay ?? 2,
          retryBackoff: d.options.retryBackoff ?? true,
          expireInSeconds: d.options.expireInSeconds ?? 300,
        };
        await boss.createQueue(deadLetterOf(d.name), { name: deadLetterOf(d.name), retryLimit: 0 });
        await boss.createQueue(d.name, { name: d.name, ...retry, deadLetter: deadLetterOf(d.name) });
        if (options.workers === false) continue;
        const poll = { batchSize: 1, pollingIntervalSeconds: config.pollingIntervalSeconds ?? 2 };
        await boss.work<JobData<unknown>>(d.name, poll, async ([job]) => {
          const { tdb, tenant } = await tenantFor(job!.data);
          await d.handler({ tdb, tenant, payload: job!.data.payload, jobId: job!.id });
        });
        await boss.work<JobData<unknown>>(deadLetterOf(d.name), poll, async ([job]) => {
          if (!d.options.onFailure) return;
          const { tdb, tenant } = await tenantFor(job!.data);
          await d.options.onFailure({ tdb, tenant, payload: job!.data.payload, jobId: job!.id });
        });
      }
    },

    /** A job's state and output (for tests, tools and the admin console). */
    async job(name: string, id: string) {
      await ensureStarted();
      return boss.getJobById<JobData<unknown>>(name, id);
    },

    /** Stops the workers, letting running jobs finish (up to `timeoutMs`). */
    async stop(timeoutMs = 10_000): Promise<void> {
      if (!started) return;
      await started.catch(() => {});
      await boss.stop({ graceful: true, wait: true, timeout: timeoutMs });
    },
  };
}

export type TenantJobs = ReturnType<typeof createTenantJobs>;
