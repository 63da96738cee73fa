/**
 * Benchmark plumbing, shared by the packages' `pnpm bench` (tenancy, platform): a Postgres server
 * (DATABASE_URL's, or an embedded one removed afterwards), a fresh migrated database, timing
 * helpers, progress lines and the results file (written to the calling package's bench/results).
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ensureDatabase } from '@studio/db-schema/bootstrap';
import { databaseUrls, readDbEnv, redactUrl, urlForDatabase, type DatabaseUrls } from '@studio/db-schema/config';
import { migrateDatabase } from '@studio/db-schema/migrate';
import { startEmbeddedPostgres } from '@studio/pg-server';
import postgres from 'postgres';

export interface BenchDatabase {
  urls: DatabaseUrls;
  server: 'embedded' | 'service';
  serverVersion: string;
  close(): Promise<void>;
}

const started = performance.now();

/** A progress line with the elapsed time; long phases call it as they go. */
export function progress(message: string): void {
  const seconds = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
  console.log(`[${seconds}s] ${message}`);
}

export async function benchDatabase(): Promise<BenchDatabase> {
  let serverUrl: string = process.env.DATABASE_URL ?? '';
  let stopServer = async () => {};
  const kind = serverUrl ? 'service' : 'embedded';
  if (!serverUrl) {
    progress('starting an embedded PostgreSQL (set DATABASE_URL to use another server)');
    const parent = await mkdtemp(path.join(os.tmpdir(), 'studio-bench-pg-'));
    // As root, the server runs as the `postgres` OS user, which must reach the folder.
    await chmod(parent, 0o755);
    const server = await startEmbeddedPostgres({ dataDir: path.join(parent, 'data'), persistent: false, fast: true }).catch(
      async (error: unknown) => {
        await rm(parent, { recursive: true, force: true });
        throw error;
      },
    );
    serverUrl = server.url;
    stopServer = async () => {
      await server.stop();
      await rm(parent, { recursive: true, force: true });
      progress('embedded PostgreSQL stopped and removed');
    };
  }
  const name = `studio_bench_${randomBytes(4).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await admin.unsafe(`drop database if exists "${name}" with (force)`).catch(() => {});
    await admin.end({ timeout: 5 }).catch(() => {});
    await stopServer();
  };
  // Ctrl-C mid-run still drops the database and stops the embedded server.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      progress(`${signal}: cleaning up`);
      void close().finally(() => process.exit(130));
    });
  }
  try {
    const [versionRow] = await admin<{ server_version: string }[]>`show server_version`;
    const serverVersion = versionRow!.server_version;
    await ensureDatabase(admin, name);
    const migrateUrl = urlForDatabase(serverUrl, name);
    progress(`migrating ${redactUrl(migrateUrl)}`);
    await migrateDatabase({ url: migrateUrl });
    // The app and admin URLs of this database, never DATABASE_APP_URL/DATABASE_ADMIN_URL of the environment.
    const urls = databaseUrls(migrateUrl, { ...readDbEnv(), DATABASE_APP_URL: undefined, DATABASE_ADMIN_URL: undefined });
    return { urls, server: kind, serverVersion, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Median per-operation latency in microseconds, measured one operation at a time. */
export async function medianUs(fn: () => Promise<unknown>, iterations: number, warmup = Math.min(500, iterations)): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples = new Float64Array(iterations);
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await fn();
    samples[i] = performance.now() - t0;
  }
  samples.sort();
  return samples[Math.floor(iterations / 2)]! * 1000;
}

/**
 * Median latencies of several operations measured in alternation, so drift on a shared machine
 * (other processes, CPU frequency, a growing table) hits each alike; ratios between them are
 * steadier than from separate runs. Each round runs every operation once, in a new order (a
 * seeded shuffle, the same every run): in a fixed rotation each operation always follows the
 * same other one, which warms or cools what they share (a pool's connection, the CPU's caches),
 * and that showed as up to 0.3 in a ratio, for one side or the other.
 */
export async function pairedMedianUs<K extends string>(fns: Record<K, () => Promise<unknown>>, iterations: number, warmup = Math.min(500, iterations)): Promise<Record<K, number>> {
  const entries = Object.entries(fns) as [K, () => Promise<unknown>][];
  for (let i = 0; i < warmup; i++) for (const [, fn] of entries) await fn();
  const samples = entries.map(() => new Float64Array(iterations));
  const order = entries.map((_, k) => k);
  let seed = 0x9e3779b9;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 0x100000000;
  };
  for (let i = 0; i < iterations; i++) {
    for (let j = order.length - 1; j > 0; j--) {
      const r = Math.floor(next() * (j + 1));
      [order[j], order[r]] = [order[r]!, order[j]!];
    }
    for (const k of order) {
      const t0 = performance.now();
      await entries[k]![1]();
      samples[k]![i] = performance.now() - t0;
    }
  }
  return Object.fromEntries(entries.map(([name], k) => [name, samples[k]!.sort()[Math.floor(iterations / 2)]! * 1000])) as Record<K, number>;
}

/** Operations per second with `concurrency` workers for `seconds`. */
export async function throughput(fn: () => Promise<unknown>, concurrency: number, seconds: number): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      await fn();
      done++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return done / ((performance.now() - t0) / 1000);
}

export async function writeResults(file: string, results: Record<string, unknown>): Promise<string> {
  // The package whose bench runs: `pnpm bench` runs each package's benches from its folder.
  const dir = path.join(process.cwd(), 'bench', 'results');
  await mkdir(dir, { recursive: true });
  const target = path.join(dir, file);
  await writeFile(target, `${JSON.stringify(results, null, 2)}\n`);
  return target;
}
