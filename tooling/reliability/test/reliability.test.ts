/**
 * `pnpm test:reliability`: the leak matrix, a soak of the invoices JSON API, faults under load,
 * fuzzing of the API's input; then reports/isolation.{md,json}. Sized for 2 cores, well under
 * 10 minutes (most of it is building the app once).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import http from 'node:http';
import { customers } from '@studio/db-schema/schema';
import { databaseUrls, urlForDatabase } from '@studio/db-schema/config';
import { migrateDatabase } from '@studio/db-schema/migrate';
import { createTestDatabase, type TestDatabase } from '@studio/db-schema/testing';
import { startEmbeddedPostgres, type RunningPostgres } from '@studio/pg-server';
import { createApiToken } from '@studio/auth';
import { createDatabase, isDatabaseUnavailable } from '@studio/tenancy';
import { runIsolationMatrix, type AttackResult } from '@studio/tenancy/testing';
import fc from 'fast-check';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInvoices, startInvoices, type RunningApp } from '../src/app-server';
import { defineImportJob } from '../src/import-job';
import { pgbouncerPath, startPgBouncer } from '../src/pgbouncer';
import { writeReport, type IsolationReport } from '../src/report';
import { seedSoakTenants, type SoakTenant } from '../src/seed';
import { get, send, soak } from '../src/soak';

const SOAK_REQUESTS = Number(process.env.RELIABILITY_REQUESTS ?? 20_000);
const report: IsolationReport = { generatedAt: new Date().toISOString(), node: process.version, postgres: '', matrix: [], soaks: [], faults: [], fuzz: [] };
let db: TestDatabase;
let app: RunningApp;
let tenants: SoakTenant[];
const log = (message: string) => console.log(`[reliability] ${message}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The customers written under `marker` (unique per test) and their audit rows, matched both ways.
 * Run as the superuser: FORCE RLS binds the owner, who would see none of them.
 */
async function auditedWrites(su: postgres.Sql, marker: string) {
  const like = `${marker}-%`;
  const [counts] = await su<{ rows: number; events: number; orphans: number; lonely: number }[]>`
    select (select count(*)::int from customers where name like ${like}) as rows,
           (select count(*)::int from audit_events where target like ${like}) as events,
           (select count(*)::int from customers c where c.name like ${like}
              and not exists (select 1 from audit_events e where e.tenant_id = c.tenant_id and e.target = c.name)) as orphans,
           (select count(*)::int from audit_events e where e.target like ${like}
              and not exists (select 1 from customers c where c.tenant_id = e.tenant_id and c.name = e.target)) as lonely`;
  return counts!;
}

beforeAll(async () => {
  db = await createTestDatabase();
  const su = postgres(db.urls.migrate, { max: 1, onnotice: () => {} });
  report.postgres = (await su<{ v: string }[]>`select split_part(version(), ' on ', 1) as v`)[0]!.v;
  await su.end();
  log('building the invoices app (a turbo cache hit when nothing changed)');
  await buildInvoices();
  log('seeding 100 tenants');
  tenants = await seedSoakTenants(db.urls, 100, 20);
  app = await startInvoices(db.urls.app);
  log(`invoices app on port ${app.port}`);
});

afterAll(async () => {
  await app?.stop();
  if (report.matrix.length > 0 || report.soaks.length > 0) log(`report: ${await writeReport(report)}`);
  await db?.drop();
});

describe('reliability', () => {
  it('attack matrix: every attack on every tenant table, through the scoped client, raw SQL and the HTTP API, leaks nothing', async () => {
    const results: AttackResult[] = await runIsolationMatrix({
      ownerUrl: db.urls.owner,
      appUrl: db.urls.app,
      // The invoices app's JSON API, attacked with an API token of tenant A.
      http: {
        origin: (t) => `http://${t.slug}.localhost:${app.port}`,
        credentials: async (t) => {
          const tokens = createDatabase({ url: db.urls.app, tenantCache: { listen: false } });
          const owner = postgres(db.urls.owner, { max: 1, onnotice: () => {} });
          try {
            // The token's maker: an owner of the tenant (a token works only while its maker may make tokens).
            const [user] = await owner<{ id: string }[]>`insert into users (email, name, email_verified) values (${`kit-${randomUUID()}@kit.test`}, 'Kit', true) returning id`;
            await owner`insert into memberships (tenant_id, user_id, role) values (${t.id}, ${user!.id}, 'owner')`;
            const { token } = await tokens.withTenant(t.id, (tdb) => createApiToken(tdb, { name: 'leak kit', createdBy: user!.id, scopes: ['invoices:read', 'invoices:write'] }));
            return { authorization: `Bearer ${token}` };
          } finally {
            await owner.end();
            await tokens.close();
          }
        },
        routes: [{ table: 'invoices', list: '/api/v1/invoices', create: (row) => ({ customerId: row.customer_id, number: `kit-${randomUUID().slice(0, 8)}`, amountCents: 100 }) }],
      },
    });
    report.matrix = results;
    expect(results.length).toBeGreaterThan(100);
    expect(results.filter((r) => !r.pass)).toEqual([]);
    expect(results.filter((r) => r.layer === 'http').length).toBeGreaterThanOrEqual(4);
  });

  it(`soak: ${SOAK_REQUESTS} requests from 100 tenants at concurrency 50: 0 cross-tenant rows, 0 5xx`, async () => {
    const result = await soak({ port: app.port, tenants, requests: SOAK_REQUESTS, concurrency: 50, onProgress: (n) => n % 5000 === 0 && log(`soak: ${n}`) });
    report.soaks.push({ name: 'direct', result });
    log(`soak: ${JSON.stringify(result)}`);
    expect(result.crossTenantRows).toBe(0);
    expect(result.serverErrors).toBe(0);
    expect(result.unexpected).toEqual({});
    expect(result.ok + result.attacksRefused).toBe(SOAK_REQUESTS);
  });

  // CI installs pgbouncer (.ci/run); a machine without it skips this one test, and says why.
  const noBouncer = !pgbouncerPath() && !process.env.CI;
  it.skipIf(noBouncer)(`soak through PgBouncer (transaction pooling): ${SOAK_REQUESTS} requests, 0 cross-tenant rows, 0 5xx`, async () => {
    // The app's three pools go through the pooler: product, auth library and job queue roles (C15).
    const users = Object.fromEntries(
      [db.urls.app, db.urls.auth, db.urls.jobs].map((url) => [decodeURIComponent(new URL(url).username), decodeURIComponent(new URL(url).password)]),
    );
    const bouncer = await startPgBouncer({ serverUrl: db.urls.app, users, poolSize: 6 });
    let pooled: RunningApp | undefined;
    try {
      pooled = await startInvoices(bouncer.urlThrough(db.urls.app), { DATABASE_POOLER: 'transaction' });
      const result = await soak({ port: pooled.port, tenants, requests: SOAK_REQUESTS, concurrency: 50, onProgress: (n) => n % 5000 === 0 && log(`soak via pgbouncer: ${n}`) });
      report.soaks.push({ name: 'through PgBouncer 1.x, pool_mode=transaction (6 server connections)', result });
      log(`soak via pgbouncer: ${JSON.stringify(result)}`);
      expect(result.crossTenantRows).toBe(0);
      expect(result.serverErrors).toBe(0);
      expect(result.unexpected).toEqual({});
      expect(result.ok + result.attacksRefused).toBe(SOAK_REQUESTS);
    } catch (error) {
      log(`pgbouncer said:\n${bouncer.log()}\napp said:\n${pooled?.log() ?? ''}`);
      throw error;
    } finally {
      await pooled?.stop();
      await bouncer.stop();
    }
  });

  it('fault: app connections killed mid-transaction under load: no partial writes, no action without its audit row, and the app recovers', async () => {
    const su = postgres(db.urls.migrate, { max: 1, onnotice: () => {} });
    const tdbs = createDatabase({ url: db.urls.app, tenantCache: { listen: false }, poolSize: 8, applicationName: 'studio:fault' });
    const target = tenants[0]!;
    const marker = `fault-${randomUUID().slice(0, 8)}`;
    let stop = false;
    let killed = 0;
    const killer = (async () => {
      while (!stop) {
        const rows = await su<{ n: number }[]>`
          select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
          where datname = current_database() and application_name in ('invoices', 'studio:auth', 'studio:fault') and pid <> pg_backend_pid()`;
        killed += rows[0]!.n;
        await sleep(40);
      }
    })();
    let committed = 0;
    let failed = 0;
    const errors = new Map<string, number>();
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; i < 60; i++) {
        const name = `${marker}-${w}-${i}`;
        try {
          await tdbs.withTenant(target.id, (tdb) => tdb.audited({ action: 'customer.create', target: name }).insert(customers).values({ name }));
          committed++;
        } catch (error) {
          failed++;
          const message = (error as Error).message;
          errors.set(message, (errors.get(message) ?? 0) + 1);
        }
      }
    });
    const readers = soak({ port: app.port, tenants, requests: 2000, concurrency: 20 });
    await Promise.all(writers);
    const during = await readers;
    stop = true;
    await killer;
    // Every customer written has its audit row and every audit row its customer.
    const check = await auditedWrites(su, marker);
    // After the kills (once connections in reconnect backoff, 2 s at most, are back): it answers
    // normally without a restart.
    await sleep(2500);
    const afterStarted = new Date().toISOString();
    const after = await soak({ port: app.port, tenants, requests: 500, concurrency: 10 });
    await tdbs.close();
    await su.end();
    const detail = `${killed} backends killed; ${committed} audited writes committed, ${failed} failed cleanly; rows ${check.rows} = audit rows ${check.events}, rows without audit ${check.orphans}, audit without row ${check.lonely}; reads during: ${during.crossTenantRows} cross-tenant rows, ${during.serverErrors} 500s, ${during.unavailable} honest 503s; after: ${after.ok + after.attacksRefused}/500 answered right`;
    const survived = check.rows === committed && check.events === committed && check.orphans === 0 && check.lonely === 0 && during.crossTenantRows === 0 && during.serverErrors === 0 && after.serverErrors === 0 && after.ok + after.attacksRefused === 500;
    report.faults.push({ name: 'app connections killed mid-transaction (pg_terminate_backend every 40 ms)', survived, detail });
    log(detail);
    log(`write errors: ${JSON.stringify([...errors])}`);
    if (after.unavailable > 0) log(`after (from ${afterStarted}, killer stopped before): ${after.unavailable} 503s; app log:\n${app.log().slice(-3000)}`);
    if (during.serverErrors > 0) log(`answers during: ${JSON.stringify(during.unexpected)}\napp log:\n${app.log().slice(-6000)}`);
    expect(killed).toBeGreaterThan(0);
    expect(check).toEqual({ rows: committed, events: committed, orphans: 0, lonely: 0 });
    expect(during).toMatchObject({ crossTenantRows: 0, serverErrors: 0 });
    expect(after).toMatchObject({ crossTenantRows: 0, serverErrors: 0, unavailable: 0, unexpected: {} });
  });

  it('fault: Postgres restarted under load: no partial writes, honest 503s while it is down, and the app recovers without a restart', async () => {
    // A server of its own, so the restart touches nothing else.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'studio-restart-'));
    const dataDir = path.join(dir, 'pg');
    let server: RunningPostgres | undefined = await startEmbeddedPostgres({ dataDir, persistent: true, fast: true });
    let restartApp: RunningApp | undefined;
    let writerDb: ReturnType<typeof createDatabase> | undefined;
    try {
      const migrateUrl = urlForDatabase(server.url, 'studio_restart');
      await migrateDatabase({ url: migrateUrl });
      const urls = databaseUrls(migrateUrl);
      const restartTenants = await seedSoakTenants(urls, 20, 5);
      restartApp = await startInvoices(urls.app);
      writerDb = createDatabase({ url: urls.app, tenantCache: { listen: false }, poolSize: 4, applicationName: 'studio:restart' });
      const target = restartTenants[0]!;
      const marker = `restart-${randomUUID().slice(0, 8)}`;
      let writing = true;
      let committed = 0;
      let failedCleanly = 0;
      const unclear: string[] = [];
      const writers = Array.from({ length: 4 }, async (_, w) => {
        for (let i = 0; writing; i++) {
          const name = `${marker}-${w}-${i}`;
          try {
            await writerDb!.withTenant(target.id, (tdb) => tdb.audited({ action: 'customer.create', target: name }).insert(customers).values({ name }));
            committed++;
          } catch (error) {
            if (isDatabaseUnavailable(error)) failedCleanly++;
            else unclear.push(`${(error as { code?: string }).code} ${(error as Error).message}`);
            await sleep(50);
          }
        }
      });
      const readers = soak({ port: restartApp.port, tenants: restartTenants, requests: 1500, concurrency: 10 });
      await sleep(1000);
      const t0 = performance.now();
      const port = server.port;
      await server.stop();
      server = undefined;
      server = await startEmbeddedPostgres({ dataDir, port, persistent: true, fast: true });
      if (server.port !== port) throw new Error(`port ${port} was taken while the server was down`);
      const downMs = Math.round(performance.now() - t0);
      // Back up: the app answers again by itself (its pools reconnect; no restart of the app).
      const deadline = Date.now() + 15_000;
      let recoveredMs = 0;
      const probes = new Map<string, number>();
      for (;;) {
        const probe = await get(new http.Agent(), restartApp.port, `${target.slug}.localhost:${restartApp.port}`, target.token);
        if (probe.status === 200) break;
        probes.set(`${probe.status} ${probe.body.slice(0, 160)}`, (probes.get(`${probe.status} ${probe.body.slice(0, 160)}`) ?? 0) + 1);
        if (Date.now() > deadline) throw new Error(`the app did not recover within 15 s of the restart (last answer ${probe.status})`);
        await sleep(100);
      }
      recoveredMs = Math.round(performance.now() - t0);
      const during = await readers;
      await sleep(500);
      writing = false;
      await Promise.all(writers);
      const after = await soak({ port: restartApp.port, tenants: restartTenants, requests: 500, concurrency: 10 });
      const owner = postgres(urls.migrate, { max: 1, onnotice: () => {} });
      const check = await auditedWrites(owner, marker);
      await owner.end();
      const detail =
        `server down ${downMs} ms, app answering again ${recoveredMs} ms after the stop; ${committed} audited writes committed, ${failedCleanly} failed cleanly; ` +
        `rows ${check.rows}, audit rows ${check.events}, rows without audit ${check.orphans}, audit without row ${check.lonely}; ` +
        `reads during: ${during.crossTenantRows} cross-tenant rows, ${during.serverErrors} 500s, ${during.unavailable} honest 503s; after: ${after.ok + after.attacksRefused}/500 answered right`;
      const survived = check.orphans === 0 && check.lonely === 0 && check.rows >= committed && unclear.length === 0 && during.serverErrors === 0 && during.crossTenantRows === 0 && after.ok + after.attacksRefused === 500;
      report.faults.push({ name: 'Postgres restarted under load (stop + start of the server)', survived, detail });
      log(detail);
      log(`answers while recovering: ${JSON.stringify([...probes])}`);
      expect(unclear).toEqual([]);
      expect(failedCleanly).toBeGreaterThan(0);
      // Every write is whole: a row has its audit row and an audit row its row. (A COMMIT whose
      // answer was lost in the shutdown may have committed: rows >= the writes we saw succeed.)
      expect(check).toMatchObject({ orphans: 0, lonely: 0, events: check.rows });
      expect(check.rows).toBeGreaterThanOrEqual(committed);
      expect(during).toMatchObject({ crossTenantRows: 0, serverErrors: 0 });
      expect(during.unavailable).toBeGreaterThan(0);
      expect(after).toMatchObject({ crossTenantRows: 0, serverErrors: 0, unavailable: 0, unexpected: {} });
    } finally {
      await writerDb?.close();
      await restartApp?.stop();
      await server?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fault: a job worker killed mid-job: its transaction leaves nothing, and another worker runs the job once, whole', async () => {
    const target = tenants[1]!;
    const marker = `job-${randomUUID().slice(0, 8)}`;
    const rows = 100;
    const jobsDb = createDatabase({ url: db.urls.app, tenantCache: { listen: false }, applicationName: 'studio:jobs' });
    const producer = defineImportJob(jobsDb, db.urls.jobs);
    await producer.jobs.start({ workers: false });
    const su = postgres(db.urls.migrate, { max: 1, onnotice: () => {} });
    const counts = () => auditedWrites(su, marker);
    let worker: ReturnType<typeof spawn> | undefined;
    let restarted: ReturnType<typeof defineImportJob> | undefined;
    try {
      const id = await producer.job.enqueue({ tenantId: target.id }, { marker, rows });
      worker = spawn(process.execPath, ['--import', 'tsx', '--conditions=@studio/source', path.join(import.meta.dirname, '../src/import-job.ts'), db.urls.app, 'worker', db.urls.jobs], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      worker.stdout!.on('data', (c: Buffer) => (output += c.toString()));
      worker.stderr!.on('data', (c: Buffer) => (output += c.toString()));
      const deadline = Date.now() + 60_000;
      while (!output.includes(`started ${id}`)) {
        if (Date.now() > deadline || worker.exitCode !== null) throw new Error(`the worker did not start the job:\n${output}`);
        await sleep(100);
      }
      // Half-way through its transaction (100 rows, 20 ms apart): kill it.
      await sleep(1000);
      const [open] = await su<{ n: number }[]>`
        select count(*)::int as n from pg_stat_activity
        where application_name like 'studio:worker%' and backend_xid is not null`;
      expect(open!.n, 'the worker is inside its writing transaction when killed').toBe(1);
      worker.kill('SIGKILL');
      await new Promise((resolve) => worker!.once('exit', resolve));
      // The server notices the dead client and rolls its transaction back.
      let afterKill = await counts();
      for (let i = 0; i < 50 && (afterKill.rows > 0 || afterKill.events > 0); i++) {
        await sleep(100);
        afterKill = await counts();
      }
      // Another worker: the lost job expires (3 s) and is retried there, to the end.
      restarted = defineImportJob(jobsDb, db.urls.jobs);
      await restarted.jobs.start();
      let final = await counts();
      const until = Date.now() + 60_000;
      while (final.rows < rows && Date.now() < until) {
        await sleep(250);
        final = await counts();
      }
      const detail = `killed after ~1 s of a ${rows}-row import: ${afterKill.rows} rows and ${afterKill.events} audit rows left; retried by a new worker: ${final.rows} rows, ${final.events} audit rows`;
      report.faults.push({ name: 'job worker killed mid-job (SIGKILL), job retried by another worker', survived: afterKill.rows === 0 && afterKill.events === 0 && final.rows === rows && final.events === rows && final.orphans === 0 && final.lonely === 0, detail });
      log(detail);
      expect(afterKill).toEqual({ rows: 0, events: 0, orphans: 0, lonely: 0 });
      expect(final).toEqual({ rows, events: rows, orphans: 0, lonely: 0 });
    } finally {
      if (worker && worker.exitCode === null) worker.kill('SIGKILL');
      await restarted?.jobs.stop(2000);
      await producer.jobs.stop(2000);
      await jobsDb.close();
      await su.end();
    }
  });

  it('fuzz: any Host and Authorization gets a 4xx with a message or the caller\'s own rows; never a 5xx, never another tenant\'s row', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const owner = new Map<string, string>();
    for (const t of tenants) for (const id of t.invoiceIds) owner.set(id, t.slug);
    let runs = 0;
    const failures: string[] = [];
    const slug = fc.oneof(fc.constantFrom(...tenants.slice(0, 5).map((t) => t.slug)), fc.string({ maxLength: 20 }), fc.constantFrom('', 'ACME', 'xn--80ak6aa92e', 'a..b', 'soak-000.', 'soak-000:99999'));
    const token = fc.oneof(
      fc.constantFrom(...tenants.slice(0, 5).map((t) => t.token)),
      fc.string({ maxLength: 80 }),
      fc.constantFrom(...tenants.slice(0, 5).map((t) => `${t.token.slice(0, -1)}x`)),
      fc.constant(''),
    );
    await fc.assert(
      fc.asyncProperty(slug, token, async (s, t) => {
        runs++;
        const host = `${s}.localhost:${app.port}`.replace(/[^\x21-\x7e]/g, '');
        const auth = t.replace(/[^\x20-\x7e]/g, '');
        let answer: { status: number; body: string };
        try {
          answer = await get(agent, app.port, host, auth);
        } catch (error) {
          failures.push(`${host} ${auth}: ${(error as Error).message}`);
          return false;
        }
        if (answer.status >= 500) failures.push(`${answer.status} for host ${host}`);
        if (answer.status >= 400 && !/"message"|<h1>/.test(answer.body)) failures.push(`${answer.status} without a message for host ${host}`);
        if (answer.status === 200) {
          const body = JSON.parse(answer.body) as { tenant: string; invoices: { id: string }[] };
          const caller = tenants.find((x) => x.token === auth);
          if (!caller || body.tenant !== caller.slug || body.invoices.some((row) => owner.get(row.id) !== caller.slug)) failures.push(`200 with rows not the caller's for host ${host}`);
        }
        return answer.status < 500;
      }),
      { numRuns: 300 },
    );
    agent.destroy();
    report.fuzz.push({ name: 'invoices API: Host, bearer token', runs, failures: failures.length });
    expect(failures).toEqual([]);
  });

  it('fuzz: JSON bodies of POST /api/v1/invoices and GET query parameters: a 4xx naming the problem or the caller\'s own data; never a 5xx, never another tenant\'s row', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const callers = tenants.slice(90, 95);
    const others = tenants.slice(0, 5);
    const failures: string[] = [];
    let posts = 0;
    let gets = 0;
    const created = new Map<string, string>(); // invoice id -> caller slug
    const value = fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.object({ maxDepth: 1 }));
    const customerId = (caller: number) =>
      fc.oneof(fc.constant(callers[caller]!.customerId), fc.constantFrom(...others.map((t) => t.customerId)), fc.uuid(), value);
    const body = fc.integer({ min: 0, max: callers.length - 1 }).chain((caller) =>
      fc.tuple(
        fc.constant(caller),
        fc.oneof(
          // Mostly well-formed fields with some values wrong, some fields missing or extra.
          fc.record(
            {
              customerId: customerId(caller),
              number: fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.string({ maxLength: 60 }), value),
              amountCents: fc.oneof(fc.integer({ min: 0, max: 1_000_000 }), fc.integer(), fc.double(), value),
              currency: fc.oneof(fc.constantFrom('USD', 'EUR', 'usd', 'US', 'EURO'), value),
              status: fc.oneof(fc.constantFrom('draft', 'sent', 'paid', 'void', 'DRAFT', 'lost'), value),
              dueOn: fc.oneof(fc.constantFrom('2026-12-31', '2026-02-30', 'tomorrow'), value),
              tenantId: fc.constantFrom(...others.map((t) => t.id)),
            },
            { requiredKeys: ['customerId', 'number', 'amountCents'] },
          ).map((o) => JSON.stringify(o)),
          // Well-formed, for the caller's customer or another tenant's.
          fc
            .record({
              customerId: fc.oneof(fc.constant(callers[caller]!.customerId), fc.constantFrom(...others.map((t) => t.customerId))),
              number: fc.string({ minLength: 1, maxLength: 12 }).filter((n) => n.trim().length > 0),
              amountCents: fc.integer({ min: 0, max: 1_000_000 }),
            })
            .map((o) => JSON.stringify(o)),
          // Anything at all, JSON or not.
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc.string({ maxLength: 40 }),
        ),
      ),
    );
    await fc.assert(
      fc.asyncProperty(body, async ([caller, text]) => {
        posts++;
        const t = callers[caller]!;
        const answer = await send(agent, app.port, { method: 'POST', host: `${t.slug}.localhost:${app.port}`, token: t.token, path: '/api/v1/invoices', body: text });
        if (answer.status >= 500) failures.push(`POST ${answer.status} for ${text}: ${answer.body.slice(0, 200)}`);
        else if (answer.status >= 400 && !/"message":"[^"]+/.test(answer.body)) failures.push(`POST ${answer.status} without a message for ${text}`);
        else if (answer.status === 201) {
          const { invoice } = JSON.parse(answer.body) as { invoice: { id: string } };
          created.set(invoice.id, t.slug);
          const sent = JSON.parse(text) as { customerId?: unknown };
          if (sent.customerId !== t.customerId) failures.push(`201 with another tenant's or no customer: ${text}`);
        } else if (![400, 409, 422].includes(answer.status)) failures.push(`POST ${answer.status} for ${text}`);
        return answer.status < 500;
      }),
      { numRuns: 300 },
    );
    const param = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('draft', 'paid', '0', '1', '100', '101', '-1', '1.5', '1e3', ''), fc.uuid());
    const query = fc.record({ status: param, customer: fc.oneof(param, fc.constantFrom(...others.map((o) => o.customerId))), limit: param, other: param }, { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: callers.length - 1 }), query, async (caller, q) => {
        gets++;
        const t = callers[caller]!;
        const path = `/api/v1/invoices?${new URLSearchParams(q as Record<string, string>).toString()}`;
        const answer = await get(agent, app.port, `${t.slug}.localhost:${app.port}`, t.token, path);
        if (answer.status >= 500) failures.push(`GET ${path}: ${answer.status}`);
        else if (answer.status === 200) {
          const rows = (JSON.parse(answer.body) as { invoices: { id: string }[] }).invoices;
          for (const row of rows) if (!t.invoiceIds.has(row.id) && created.get(row.id) !== t.slug) failures.push(`GET ${path}: a row not ${t.slug}'s`);
        } else if (answer.status !== 400 || !/"message":"[^"]+/.test(answer.body)) failures.push(`GET ${path}: ${answer.status} ${answer.body.slice(0, 120)}`);
        return answer.status < 500;
      }),
      { numRuns: 300 },
    );
    agent.destroy();
    // Every invoice the fuzz created is its caller's, with a customer of the caller.
    const su = postgres(db.urls.migrate, { max: 1, onnotice: () => {} });
    const ids = [...created.keys()];
    const rows = ids.length ? await su<{ id: string; slug: string; same: boolean }[]>`
      select i.id, t.slug, c.tenant_id = i.tenant_id as same from invoices i join tenants t on t.id = i.tenant_id join customers c on c.id = i.customer_id
      where i.id = any(${ids}::uuid[])` : [];
    await su.end();
    for (const row of rows) if (row.slug !== created.get(row.id) || !row.same) failures.push(`invoice ${row.id} stored under ${row.slug}`);
    report.fuzz.push({ name: `invoices API: POST JSON bodies (${created.size} created) and GET query parameters`, runs: posts + gets, failures: failures.length });
    log(`body/query fuzz: ${posts} POSTs (${created.size} created), ${gets} GETs, ${failures.length} failures`);
    expect(failures).toEqual([]);
    expect(created.size).toBeGreaterThan(0);
  });
});
