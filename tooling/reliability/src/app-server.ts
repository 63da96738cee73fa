/**
 * The invoices app as it ships: built once (turbo, standalone output), then started with
 * `node server.js` against a given database, on a free port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { getFreePort } from '@studio/pg-server';

export const ROOT = path.resolve(import.meta.dirname, '../../..');
const SERVER = path.join(ROOT, 'apps/invoices/.next/standalone/apps/invoices/server.js');

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (${code}):\n${output.slice(-4000)}`))));
  });
}

/** Builds the invoices app through turbo: a cache hit when nothing it is built from changed. */
export async function buildInvoices(): Promise<void> {
  await run('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=@studio/invoices', '--output-logs=errors-only'], ROOT);
}

export interface RunningApp {
  port: number;
  /** What the server printed (for a failing test's message). */
  log(): string;
  stop(): Promise<void>;
}

/** Starts the built app against `appUrl` (the app role's URL); `env` adds or overrides settings. */
export async function startInvoices(appUrl: string, env: Record<string, string> = {}): Promise<RunningApp> {
  const port = await getFreePort();
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [SERVER], {
    cwd: path.dirname(SERVER),
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      PORT: String(port),
      HOSTNAME: '127.0.0.1',
      INVOICES_PUBLIC_PORT: String(port),
      INVOICES_BASE_DOMAIN: 'localhost',
      BETTER_AUTH_SECRET: 'reliability-suite-secret-0123456789abcdef',
      DATABASE_APP_URL: appUrl,
      ...env,
    },
  });
  // The last 200 kB: a long fault run logs a line per 503.
  const keep = (c: Buffer) => (output = (output + c.toString()).slice(-200_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The invoices app exited (${child.exitCode}):\n${output.slice(-4000)}`);
    const up = await fetch(`http://127.0.0.1:${port}/api/invoices`).then(
      () => true,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) throw new Error(`The invoices app did not answer within 60 s:\n${output.slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    port,
    log: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
