/**
 * `pnpm bench`: what tenant scoping costs. Real Postgres on loopback, warm-up, many iterations,
 * medians. Prints a table and writes bench/results/scoped-client.json (not committed).
 *
 * Baselines (raw postgres.js, plain drizzle) run as the superuser: the app role is subject to
 * RLS, and with no app.tenant_id set it sees no rows at all, so "a read with the filter written
 * by hand and no transaction" can only be measured where RLS does not apply. The query and its
 * plan are the same (primary-key lookup); the JSON says so with `raw_role: 'superuser'`.
 *
 * Environment: DATABASE_URL (a superuser URL; otherwise an embedded server is started),
 * BENCH_ITERATIONS (sequential point reads per client per round, default 4000),
 * BENCH_SECONDS (per throughput run, default 4).
 */
import { tenantContextValue } from '@studio/db-schema/config';
import { performance } from 'node:perf_hooks';
import { and, desc, eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import Table from 'cli-table3';
import pg from 'pg';
import postgres from 'postgres';
import * as schema from '@studio/db-schema/schema';
import { seededRandom } from '@studio/db-schema/seed';
// The built package (dist/), what the apps run: see bench/audit.ts on why not the sources through tsx.
import { createDatabase } from '@studio/tenancy';
import { QueryGuard } from '../src/guard/query-guard';
import { benchDatabase, medianUs, pairedMedianUs, progress, throughput, writeResults } from '@studio/db-schema/testing/bench';

const { invoices } = schema;
const TENANTS = 2000;
const TOTAL_INVOICES = 2_000_000;
/** The whale holds this many times the average of the other tenants. */
const WHALE_FACTOR = 100;
/** Invoices are generated in this many time slices, oldest first, so tenants' rows interleave on disk. */
const SLICES = 20;
const POINT_ROUNDS = 3;
const POINT_ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 4000);
const LIST_ITERATIONS = 1000;
const THROUGHPUT_SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const CONCURRENCY = 32;
const POOL = 10;

/** Rows per tenant: index 0 is the whale; the others vary between 0.5x and 1.5x their average; the sum is exact. */
function invoiceCounts(): number[] {
  const random = seededRandom(42);
  const othersAverage = TOTAL_INVOICES / (TENANTS - 1 + WHALE_FACTOR);
  const whale = Math.round(othersAverage * WHALE_FACTOR);
  const weights = Array.from({ length: TENANTS - 1 }, () => 0.5 + random());
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const others = weights.map((w) => Math.max(1, Math.floor((w / weightSum) * (TOTAL_INVOICES - whale))));
  let missing = TOTAL_INVOICES - whale - others.reduce((a, b) => a + b, 0);
  for (let i = 0; missing > 0; i = (i + 1) % others.length, missing--) others[i]!++;
  return [whale, ...others];
}

const bench = await benchDatabase();
const closers: (() => Promise<unknown>)[] = [];
try {
  const su = postgres(bench.urls.migrate, { max: POOL, onnotice: () => {} });
  closers.push(() => su.end({ timeout: 5 }));

  // --- data: 2,000 tenants, 2,000,000 invoices, one tenant with 100x the others' average -------
  const counts = invoiceCounts();
  const random = seededRandom(7);
  const customerCounts = counts.map(() => 1 + Math.floor(random() * 5));
  progress(
    `generating ${TENANTS} tenants, ${customerCounts.reduce((a, b) => a + b, 0)} customers and ` +
      `${TOTAL_INVOICES.toLocaleString('en')} invoices (whale ${counts[0]!.toLocaleString('en')}, ` +
      `others ${Math.min(...counts.slice(1))}-${Math.max(...counts.slice(1))})`,
  );
  const generation = performance.now();
  // As the superuser, which bypasses RLS (FORCE binds the owner too).
  await su`insert into plans (id, name, max_members) values ('free', 'Free', 3) on conflict do nothing`;
  const tenantRows = await su<{ id: string }[]>`
    insert into tenants (slug, name)
    select 'bench-' || lpad(i::text, 4, '0'), 'Bench tenant ' || i from generate_series(1, ${TENANTS}::int) i
    order by i
    returning id`;
  const tenantIds = tenantRows.map((r) => r.id);
  // Customer ids derived from (tenant, ordinal), so invoices can name one without a lookup.
  await su`
    insert into customers (tenant_id, id, name, email)
    select t.id, md5(t.id::text || ':' || c)::uuid, 'Customer ' || c, 'c' || c || '@example.test'
    from unnest(${tenantIds}::uuid[], ${customerCounts}::int[]) as t(id, k)
    cross join lateral generate_series(1, t.k) c`;
  // Every tenant's rows spread over the same year; each slice is inserted in created_at order.
  const end = new Date();
  for (let slice = 0; slice < SLICES; slice++) {
    await su`
      insert into invoices (tenant_id, customer_id, number, status, amount_cents, created_at, issued_on)
      select t.id,
        md5(t.id::text || ':' || (1 + g % t.k))::uuid,
        'INV-' || lpad(g::text, 6, '0'),
        (array['draft', 'sent', 'paid', 'void']::invoice_status[])[1 + g % 4],
        (g * 7919) % 500000,
        c.at,
        c.at::date
      from unnest(${tenantIds}::uuid[], ${counts}::int[], ${customerCounts}::int[]) as t(id, n, k)
      cross join lateral generate_series(t.n * ${slice}::int / ${SLICES}::int + 1, t.n * ${slice + 1}::int / ${SLICES}::int) g
      cross join lateral (select ${end}::timestamptz - interval '365 days' * ((t.n - g) + random()) / t.n as at) c
      order by c.at`;
    const seconds = ((performance.now() - generation) / 1000).toFixed(1);
    progress(`  invoices: slice ${slice + 1}/${SLICES} (${Math.round((TOTAL_INVOICES * (slice + 1)) / SLICES).toLocaleString('en')} rows, ${seconds}s)`);
  }
  progress('  vacuum analyze');
  await su`vacuum analyze tenants`;
  await su`vacuum analyze customers`;
  await su`vacuum analyze invoices`;
  // Two million new rows are still being written out: flushed now, not while the reads are timed.
  await su`checkpoint`;
  const [{ n: invoiceRows } = { n: 0 }] = await su<{ n: number }[]>`select count(*)::int as n from invoices`;
  if (invoiceRows !== TOTAL_INVOICES) throw new Error(`generated ${invoiceRows} invoices, expected ${TOTAL_INVOICES}`);

  const whale = tenantIds[0]!;
  const smallIndex = counts.indexOf(Math.min(...counts));
  const small = tenantIds[smallIndex]!;
  const [target] = await su<{ id: string }[]>`select id from invoices where tenant_id = ${small} order by created_at desc limit 1`;
  const invoiceId = target!.id;
  progress(`data ready in ${((performance.now() - generation) / 1000).toFixed(1)}s; small tenant has ${counts[smallIndex]} invoices`);

  // --- clients ------------------------------------------------------------------------------
  // Raw and plain-drizzle baselines share the superuser pool (see the header comment).
  const raw = su;
  const plain = drizzle({ client: su, schema });
  // The naive pattern runs as the app role, under RLS, like the scoped client.
  const appPool = postgres(bench.urls.app, { max: POOL, onnotice: () => {} });
  closers.push(() => appPool.end({ timeout: 5 }));
  const naive = drizzle({ client: appPool, schema });
  const db = createDatabase({ url: bench.urls.app, mode: 'rls', poolSize: POOL });
  closers.push(() => db.close());
  const tdb = await db.tenant(small);
  const whaleDb = await db.tenant(whale);

  const rawRead = () => raw`select * from invoices where tenant_id = ${small} and id = ${invoiceId}`;
  // The other driver, raw: node-postgres with a named (prepared) statement, same superuser.
  const rawPgPool = new pg.Pool({ connectionString: bench.urls.migrate, max: POOL });
  closers.push(() => rawPgPool.end());
  const rawPgRead = async () =>
    (await rawPgPool.query({ name: 'invoice_by_id', text: 'select * from invoices where tenant_id = $1 and id = $2', values: [small, invoiceId] })).rows;
  // The seed article's withTenant on node-postgres, as the app role under RLS: a pooled client,
  // awaited BEGIN, set_config, the query, COMMIT.
  const appPgPool = new pg.Pool({ connectionString: bench.urls.app, max: POOL });
  closers.push(() => appPgPool.end());
  const seedWithTenant = async <T>(tenantId: string, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await appPgPool.connect();
    try {
      await client.query('begin');
      await client.query("select set_config('app.tenant_context', $1, true)", [tenantContextValue(tenantId)]);
      const result = await fn(client);
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback');
      throw error;
    } finally {
      client.release();
    }
  };
  const seedRead = () => seedWithTenant(small, async (client) => (await client.query('select * from invoices where id = $1', [invoiceId])).rows);
  // drizzle's documented RLS pattern on node-postgres: a transaction that sets the claim with
  // set_config, then the query.
  const drizzleRlsDb = drizzlePg({ client: appPgPool, schema });
  const drizzleRlsRead = () =>
    drizzleRlsDb.transaction(async (tx) => {
      await tx.execute(sql`select set_config('app.tenant_context', ${tenantContextValue(small)}, true)`);
      return tx.select().from(invoices).where(eq(invoices.id, invoiceId));
    });
  const drizzleRead = () => plain.select().from(invoices).where(and(eq(invoices.tenantId, small), eq(invoices.id, invoiceId)));
  // The scoped read as hot code is written: a drizzle prepared query (built once, like
  // postgres.js's cached template above), executed through the scoped client. Building a drizzle
  // query costs tens of microseconds of CPU per call, scoped or not; the builder-per-call form is
  // measured beside it, against plain drizzle doing the same.
  const byId = tdb.select().from(invoices).where(eq(invoices.id, sql.placeholder('id'))).prepare('invoiceById');
  const scopedRead = () => byId.execute({ id: invoiceId });
  const scopedBuilderRead = () => tdb.select().from(invoices).where(eq(invoices.id, invoiceId));
  const naiveRead = () =>
    naive.transaction(async (tx) => {
      await tx.execute(sql`select set_config('app.tenant_context', ${tenantContextValue(small)}, true)`);
      return tx.select().from(invoices).where(eq(invoices.id, invoiceId));
    });
  for (const [name, read] of Object.entries({ rawRead, rawPgRead, drizzleRead, scopedRead, scopedBuilderRead, naiveRead, seedRead, drizzleRlsRead })) {
    const rows = await read();
    if (rows.length !== 1) throw new Error(`${name} returned ${rows.length} rows, expected 1`);
  }

  // --- point reads ------------------------------------------------------------------------------
  // Two runs, each client taking turns read by read with the others in it, in a shuffled order
  // (pairedMedianUs), POINT_ROUNDS rounds each:
  // - the targets: raw, scoped prepared and scoped built per call, and nothing else. A fixed
  //   overhead shows most here, with no heavier client between the reads to slow raw as well.
  // - every client, the alternatives too: their ratios, and ours among them (reported beside the
  //   targets: the heavier clients cool the CPU's caches between reads, which costs a longer code
  //   path such as drizzle's builder more than raw postgres.js).
  progress(`point reads: ${POINT_ITERATIONS} reads per client per round, the clients taking turns read by read in a shuffled order (after warm-up), ${POINT_ROUNDS} rounds`);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  async function pointReads<K extends string>(clients: Record<K, () => Promise<unknown>>, label: string): Promise<Record<K, number>> {
    const runs = Object.fromEntries(Object.keys(clients).map((k) => [k, [] as number[]])) as Record<K, number[]>;
    for (let round = 0; round < POINT_ROUNDS; round++) {
      const medians = await pairedMedianUs(clients, POINT_ITERATIONS);
      for (const key of Object.keys(clients) as K[]) runs[key].push(medians[key]);
      progress(`  ${label}: round ${round + 1}/${POINT_ROUNDS}`);
    }
    return Object.fromEntries(Object.keys(clients).map((k) => [k, median(runs[k as K])])) as Record<K, number>;
  }
  const targetRun = await pointReads({ raw: rawRead, scoped: scopedRead, scopedBuilder: scopedBuilderRead }, 'raw and scoped');
  const fullRun = await pointReads(
    { raw: rawRead, rawPg: rawPgRead, drizzle: drizzleRead, scoped: scopedRead, scopedBuilder: scopedBuilderRead, naive: naiveRead, seed: seedRead, drizzleRls: drizzleRlsRead },
    'every client',
  );
  const rawUs = targetRun.raw;
  const scopedUs = targetRun.scoped;
  const scopedBuilderUs = targetRun.scopedBuilder;
  // The alternatives, against the raw reads of their own run.
  const rawFullUs = fullRun.raw;
  const drizzleUs = fullRun.drizzle;
  const naiveUs = fullRun.naive;
  const rawPgUs = fullRun.rawPg;
  const seedUs = fullRun.seed;
  const drizzleRlsUs = fullRun.drizzleRls;

  // --- the guard alone ----------------------------------------------------------------------
  progress('query guard: cached verdicts and first parses');
  const guard = new QueryGuard({ tenantTables: ['invoices', 'customers', 'lesson_plans', 'audit_events'] });
  await guard.ready();
  const hitSql = 'select * from "invoices" where ("invoices"."tenant_id" = $1 and "invoices"."id" = $2)';
  const hitParams = [small, invoiceId];
  const hitIterations = 200_000;
  for (let i = 0; i < 10_000; i++) guard.check(hitSql, hitParams, small);
  const h0 = performance.now();
  for (let i = 0; i < hitIterations; i++) guard.check(hitSql, hitParams, small);
  const guardHitUs = ((performance.now() - h0) * 1000) / hitIterations;
  const missTimes: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const text = `select "i${i}"."id", "i${i}"."number" from "invoices" "i${i}" where ("i${i}"."tenant_id" = $1 and "i${i}"."amount_cents" > $2)`;
    const t0 = performance.now();
    guard.check(text, [small, 0], small);
    missTimes.push((performance.now() - t0) * 1000);
  }
  const guardMissUs = median(missTimes);

  // --- the tenant-context verifier (C15), server side ------------------------------------------
  // The policies compare tenant_id with `(select tenant_id from studio_current_tenant)` once per
  // statement, and each scoped statement is its own transaction, so what counts is its cost in a
  // fresh transaction: the median latency of that sub-select minus that of
  // `select (select current_setting(...))`, each statement its own transaction, one connection.
  // Measured for a value the app registered (what the scoped client sends: an index probe) and
  // for one nobody registered (studio_tenant(): the HMAC in plpgsql, what raw SQL pays).
  progress('context verifier: the registered look-up and the HMAC, against the bare setting, one transaction per statement');
  const verifier = postgres(bench.urls.app, { max: 1, onnotice: () => {} });
  closers.push(() => verifier.end());
  const registered = tenantContextValue(small);
  await verifier`select studio_register_tenant_context(${registered})`;
  await verifier`select set_config('app.tenant_context', ${registered}, false)`;
  const lookup = () => verifier`select (select tenant_id from studio_current_tenant) as t`;
  const hmac = () => verifier`select (select studio_tenant()) as t`;
  const bare = () => verifier`select (select current_setting('app.tenant_context')) as t`;
  const verifyRuns: number[] = [];
  const hmacRuns: number[] = [];
  for (let run = 0; run < 3; run++) {
    const m = await pairedMedianUs({ lookup, hmac, bare }, 2000);
    verifyRuns.push(m.lookup - m.bare);
    hmacRuns.push(m.hmac - m.bare);
  }
  const contextVerifyUs = median(verifyRuns);
  const contextVerifyUnregisteredUs = median(hmacRuns);

  // --- throughput: 32 concurrent callers over 10 connections ---------------------------------
  progress(`throughput: concurrency ${CONCURRENCY}, pool ${POOL}, ${THROUGHPUT_SECONDS}s each`);
  // Alternating, so drift on a shared machine hits both alike; the median of three each.
  const rawRuns: number[] = [];
  const scopedRuns: number[] = [];
  await throughput(rawRead, CONCURRENCY, 0.5);
  await throughput(scopedRead, CONCURRENCY, 0.5);
  for (let run = 0; run < 3; run++) {
    rawRuns.push(await throughput(rawRead, CONCURRENCY, THROUGHPUT_SECONDS));
    scopedRuns.push(await throughput(scopedRead, CONCURRENCY, THROUGHPUT_SECONDS));
  }
  const rawRps = median(rawRuns);
  const scopedRps = median(scopedRuns);
  const scopedBuilderRps = await throughput(scopedBuilderRead, CONCURRENCY, THROUGHPUT_SECONDS);
  const rawPgRps = await throughput(rawPgRead, CONCURRENCY, THROUGHPUT_SECONDS);
  const seedRps = await throughput(seedRead, CONCURRENCY, THROUGHPUT_SECONDS);

  // --- newest 50 invoices: the smallest tenant against the whale -----------------------------
  progress(`newest 50 invoices: small tenant and whale, ${LIST_ITERATIONS} each`);
  const listSmall = () => tdb.select().from(invoices).orderBy(desc(invoices.createdAt)).limit(50);
  const listWhale = () => whaleDb.select().from(invoices).orderBy(desc(invoices.createdAt)).limit(50);
  for (const [name, list] of Object.entries({ listSmall, listWhale })) {
    const rows = await list();
    if (rows.length !== 50) throw new Error(`${name} returned ${rows.length} rows, expected 50`);
  }
  const listSmallUs = await medianUs(listSmall, LIST_ITERATIONS, 200);
  const listWhaleUs = await medianUs(listWhale, LIST_ITERATIONS, 200);

  const round = (n: number, digits = 1) => Number(n.toFixed(digits));
  const listRatio = listWhaleUs / listSmallUs;
  const targets = {
    scoped_point_read_ratio: scopedUs / rawUs <= 1.1,
    scoped_built_point_read_ratio: scopedBuilderUs / rawUs <= 1.3,
    guard_hit_us: guardHitUs <= 5,
    context_verify_us: contextVerifyUs <= 10,
    scoped_throughput_ratio: scopedRps / rawRps >= 0.9,
    list_small_tenant_us: listSmallUs < 2000,
    list_whale_tenant_us: listWhaleUs < 2000,
    list_ratio: listRatio <= 1.5 && listRatio >= 1 / 1.5,
  };
  const results = {
    generated_at: new Date().toISOString(),
    node: process.version,
    postgres: bench.serverVersion,
    server: bench.server,
    raw_role: 'superuser',
    iterations: POINT_ITERATIONS * POINT_ROUNDS,
    raw_point_read_us: round(rawUs),
    scoped_point_read_us: round(scopedUs),
    scoped_point_read_ratio: round(scopedUs / rawUs, 2),
    scoped_builder_point_read_us: round(scopedBuilderUs),
    scoped_built_point_read_ratio: round(scopedBuilderUs / rawUs, 2),
    // The run with every client: the alternatives, and ours among them, against its raw reads.
    full_run_raw_point_read_us: round(rawFullUs),
    full_run_scoped_point_read_ratio: round(fullRun.scoped / rawFullUs, 2),
    full_run_scoped_built_point_read_ratio: round(fullRun.scopedBuilder / rawFullUs, 2),
    drizzle_point_read_us: round(drizzleUs),
    scoped_builder_vs_drizzle_ratio: round(fullRun.scopedBuilder / drizzleUs, 2),
    raw_pg_point_read_us: round(rawPgUs),
    raw_pg_point_read_ratio: round(rawPgUs / rawFullUs, 2),
    seed_with_tenant_pg_point_read_us: round(seedUs),
    seed_with_tenant_pg_point_read_ratio: round(seedUs / rawFullUs, 2),
    drizzle_rls_tx_point_read_us: round(drizzleRlsUs),
    drizzle_rls_tx_point_read_ratio: round(drizzleRlsUs / rawFullUs, 2),
    naive_tx_point_read_us: round(naiveUs),
    naive_tx_point_read_ratio: round(naiveUs / rawFullUs, 2),
    guard_hit_us: round(guardHitUs, 3),
    guard_miss_us: round(guardMissUs),
    context_verify_us: round(contextVerifyUs, 2),
    context_verify_unregistered_us: round(contextVerifyUnregisteredUs, 2),
    raw_throughput_rps: Math.round(rawRps),
    scoped_throughput_rps: Math.round(scopedRps),
    scoped_throughput_ratio: round(scopedRps / rawRps, 2),
    scoped_builder_throughput_rps: Math.round(scopedBuilderRps),
    scoped_built_throughput_ratio: round(scopedBuilderRps / rawRps, 2),
    raw_pg_throughput_rps: Math.round(rawPgRps),
    seed_with_tenant_pg_throughput_ratio: round(seedRps / rawRps, 2),
    list_small_tenant_us: round(listSmallUs),
    list_whale_tenant_us: round(listWhaleUs),
    list_ratio: round(listRatio, 2),
    dataset: {
      tenants: TENANTS,
      invoices: TOTAL_INVOICES,
      whale_rows: counts[0],
      small_tenant_rows: counts[smallIndex],
      customers_per_tenant: '1-5',
    },
    method: {
      scoped_reads: 'scoped_* is a drizzle prepared query (.prepare(), built once) run through db.tenant(id); scoped_builder_* / scoped_built_* builds the drizzle query on every call',
      alternatives: "raw_pg: node-postgres, named statement, superuser; seed_with_tenant_pg: the seed article's withTenant (pooled pg client, awaited BEGIN, set_config, query, COMMIT) as the app role; drizzle_rls_tx: drizzle's documented RLS transaction (set_config in db.transaction) on node-postgres as the app role; naive_tx: the same on postgres.js",
      point_reads: `two runs, each the median of ${POINT_ROUNDS} round medians; in each round ${POINT_ITERATIONS} reads per client, the clients taking turns read by read in a new (seeded) order each turn, after warm-up. The targets (scoped_point_read_*, scoped_built_*) come from a run of raw, scoped and scoped built per call alone; full_run_* and the alternatives' ratios from a run of every client, against that run's raw reads`,
      guard_hit: `mean over ${hitIterations} cached checks`,
      guard_miss: 'median over 2000 distinct SQL texts',
      context_verify: 'median latency of select (select tenant_id from studio_current_tenant) with a registered value minus select (select current_setting(...)), each its own transaction (paired, 2000 each), median of 3; _unregistered: the same with select (select studio_tenant()), the HMAC a value nobody registered costs',
      throughput: `${CONCURRENCY} concurrent callers, pool ${POOL}, median of 3 alternating runs of ${THROUGHPUT_SECONDS}s`,
      lists: `median of ${LIST_ITERATIONS} sequential reads`,
    },
    targets,
  };

  const ok = (pass: boolean | undefined) => (pass === undefined ? '' : pass ? 'yes' : 'NO');
  const table = new Table({ head: ['figure', 'value', 'target', 'ok'], style: process.stdout.isTTY && !process.env.CI ? {} : { head: [], border: [] } });
  table.push(
    ['raw postgres.js point read (us, superuser)', results.raw_point_read_us, '', ''],
    ['scoped point read (us, app role + RLS, prepared)', results.scoped_point_read_us, '', ''],
    ['scoped / raw', results.scoped_point_read_ratio, '<= 1.1', ok(targets.scoped_point_read_ratio)],
    ['scoped, query built per call (us)', results.scoped_builder_point_read_us, '', ''],
    ['  built per call / raw', results.scoped_built_point_read_ratio, '<= 1.3', ok(targets.scoped_built_point_read_ratio)],
    ['every client in one run: raw postgres.js (us)', results.full_run_raw_point_read_us, '', ''],
    ['  scoped / raw', results.full_run_scoped_point_read_ratio, '(beside all)', ''],
    ['  built per call / raw', results.full_run_scoped_built_point_read_ratio, '(beside all)', ''],
    ['  plain drizzle point read (us, superuser)', results.drizzle_point_read_us, '', ''],
    ['  built per call / plain drizzle built per call', results.scoped_builder_vs_drizzle_ratio, '(comparison)', ''],
    ['  naive awaited tx / raw', results.naive_tx_point_read_ratio, '(comparison)', ''],
    ['  raw node-postgres / raw postgres.js', results.raw_pg_point_read_ratio, '(comparison)', ''],
    ["  seed article's withTenant on pg / raw", results.seed_with_tenant_pg_point_read_ratio, '(comparison)', ''],
    ["  drizzle's RLS transaction on pg / raw", results.drizzle_rls_tx_point_read_ratio, '(comparison)', ''],
    ['guard, cached verdict (us)', results.guard_hit_us, '<= 5', ok(targets.guard_hit_us)],
    ['guard, first parse (us)', results.guard_miss_us, '', ''],
    ['tenant-context verifier, per statement (us, server)', results.context_verify_us, '<= 10', ok(targets.context_verify_us)],
    ['  the same for a value nobody registered (HMAC)', results.context_verify_unregistered_us, '', ''],
    ['raw throughput (reads/s)', results.raw_throughput_rps, '', ''],
    ['scoped throughput (reads/s)', results.scoped_throughput_rps, '', ''],
    [`throughput scoped / raw (c=${CONCURRENCY}, pool ${POOL})`, results.scoped_throughput_ratio, '>= 0.9', ok(targets.scoped_throughput_ratio)],
    ['scoped throughput, query built per call', results.scoped_builder_throughput_rps, '', ''],
    ['  built per call / raw', results.scoped_built_throughput_ratio, '(comparison)', ''],
    ["seed article's withTenant on pg, throughput / raw", results.seed_with_tenant_pg_throughput_ratio, '(comparison)', ''],
    [`newest 50, smallest tenant (us, ${counts[smallIndex]} rows)`, results.list_small_tenant_us, '< 2000', ok(targets.list_small_tenant_us)],
    [`newest 50, whale (us, ${counts[0]} rows)`, results.list_whale_tenant_us, '< 2000', ok(targets.list_whale_tenant_us)],
    ['whale / small', results.list_ratio, 'within 1.5x', ok(targets.list_ratio)],
  );
  console.log(table.toString());
  console.log(`PostgreSQL ${results.postgres} (${results.server}), Node ${results.node}`);
  const file = await writeResults('scoped-client.json', results);
  progress(`wrote ${file}`);
} finally {
  for (const close of closers.reverse()) await close().catch(() => {});
  await bench.close();
}
