/**
 * Debian's PgBouncer in transaction pooling mode, started on a free port in front of one
 * database, for the soak through a pooler. `.ci/run` installs it (apt package pgbouncer); on a
 * machine without it, `pgbouncerPath()` is null and the suite says so.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { getFreePort } from '@studio/pg-server';

export function pgbouncerPath(): string | null {
  for (const candidate of [process.env.PGBOUNCER_BIN, '/usr/sbin/pgbouncer', '/usr/bin/pgbouncer']) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  return null;
}

export interface RunningPgBouncer {
  /** `url` with host and port replaced by the pooler's. */
  urlThrough(url: string): string;
  port: number;
  log(): string;
  stop(): Promise<void>;
}

function waitForPort(port: number, child: ChildProcess, log: () => string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null) return reject(new Error(`pgbouncer exited (${child.exitCode}):\n${log()}`));
      const socket = net.connect(port, '127.0.0.1');
      socket.on('connect', () => {
        socket.end();
        resolve();
      });
      socket.on('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`pgbouncer did not listen on ${port} within ${timeoutMs} ms:\n${log()}`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

/**
 * Starts PgBouncer (pool_mode = transaction) for `users` (name -> password; it logs in to the
 * server with them) in front of the server at `serverUrl`'s host and port.
 */
export async function startPgBouncer(options: { serverUrl: string; users: Record<string, string>; poolSize?: number }): Promise<RunningPgBouncer> {
  const bin = pgbouncerPath();
  if (!bin) throw new Error('pgbouncer is not installed (Debian: apt-get install pgbouncer; or set PGBOUNCER_BIN).');
  const server = new URL(options.serverUrl);
  const port = await getFreePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'studio-pgbouncer-'));
  // PgBouncer refuses to run as root: it then drops to `nobody`, which must read these files.
  chmodSync(dir, 0o755);
  const userlist = Object.entries(options.users)
    .map(([name, password]) => `"${name.replace(/"/g, '""')}" "${password.replace(/"/g, '""')}"`)
    .join('\n');
  writeFileSync(path.join(dir, 'userlist.txt'), `${userlist}\n`, { mode: 0o644 });
  writeFileSync(
    path.join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = host=${server.hostname} port=${server.port || 5432}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      `unix_socket_dir =`,
      'auth_type = plain',
      `auth_file = ${path.join(dir, 'userlist.txt')}`,
      'pool_mode = transaction',
      `default_pool_size = ${options.poolSize ?? 8}`,
      'max_client_conn = 500',
      // Our clients set these at startup; PgBouncer must let them through.
      'ignore_startup_parameters = extra_float_digits,options,application_name',
      'server_reset_query =',
      'logfile =',
      'log_connections = 0',
      'log_disconnections = 0',
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  const args = [path.join(dir, 'pgbouncer.ini')];
  if (process.getuid?.() === 0) args.unshift('-u', 'nobody');
  let output = '';
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-20_000)));
  child.stderr!.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-20_000)));
  const log = () => output;
  try {
    await waitForPort(port, child, log);
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    log,
    urlThrough(url: string) {
      const next = new URL(url);
      next.hostname = '127.0.0.1';
      next.port = String(port);
      return next.toString();
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGINT');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
