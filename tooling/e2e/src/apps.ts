/**
 * The product apps as they ship: built through turbo (standalone output; a cache hit when nothing
 * they are built from changed), then started with `node server.js` on a free port against a given
 * database. Used by the browser tests here and by the reliability suite.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { getFreePort } from '@studio/pg-server';
import { rolesFromEnv, urlForRole } from '@studio/db-schema/config';
import { DEV_TENANT_CONTEXT_KEY } from '@studio/db-schema/tenant-context';

export const ROOT = path.resolve(import.meta.dirname, '../../..');

/** What each app needs besides the database: its public URL settings, and a path that answers once it is up. */
const APPS = {
  invoices: {
    env: (port: number): Record<string, string> => ({ INVOICES_PUBLIC_PORT: String(port), INVOICES_BASE_DOMAIN: 'localhost' }),
    ready: '/api/v1/invoices',
  },
  lessons: {
    // One host for every tenant: they live under /t/<slug>.
    env: (port: number): Record<string, string> => ({ LESSONS_PUBLIC_URL: `http://localhost:${port}` }),
    ready: '/',
  },
  admin: {
    // Also needs DATABASE_ADMIN_URL (the BYPASSRLS role): the test passes it in startApp's env.
    env: (port: number): Record<string, string> => ({ ADMIN_PUBLIC_URL: `http://localhost:${port}` }),
    ready: '/sign-in',
  },
} as const;

export type AppName = keyof typeof APPS;

/**
 * An app this file does not know (one `pnpm turbo gen product` wrote): the generator's template
 * has one host for every tenant, `<NAME>_PUBLIC_URL`, and a landing page at `/`.
 */
function generatedApp(name: string): { env: (port: number) => Record<string, string>; ready: string } {
  const variable = `${name.replace(/[^a-z0-9]+/gi, '_').toUpperCase()}_PUBLIC_URL`;
  return { env: (port) => ({ [variable]: `http://localhost:${port}` }), ready: '/' };
}

/** Runs a command to completion; its output is in the error when it fails. */
export function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env } });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (${code}):\n${output.slice(-4000)}`))));
  });
}

/**
 * Builds the apps (and the packages they use) through turbo. NODE_ENV=production, as a deploy
 * builds them and as CI's build step does before the tests (.ci/run): turbo hashes NODE_ENV, so
 * the suites' builds are then cache hits rather than `next build`s of their own inside a test
 * hook (vitest sets NODE_ENV=test).
 */
export async function buildApps(names: readonly AppName[]): Promise<void> {
  const filters = names.map((name) => `--filter=@studio/${name}`);
  await run('pnpm', ['exec', 'turbo', 'run', 'build', ...filters, '--output-logs=errors-only'], ROOT, { NODE_ENV: 'production' });
}

export interface RunningApp {
  port: number;
  /** `http://<tenant>.localhost:<port>` (Chromium resolves *.localhost to loopback). */
  origin(tenantSlug?: string): string;
  /** What the server printed (for a failing test's message). */
  log(): string;
  stop(): Promise<void>;
}

/**
 * Starts a built app against `appUrl` (the app role's URL); `env` adds or overrides settings.
 * `name` is the app's folder under apps/: one of ours, or a generated product's.
 */
export async function startApp(
  name: AppName | (string & {}),
  appUrl: string,
  env: Record<string, string> = {},
  /** `root`: a tree other than this repository's (an app pruned for deployment). */
  options: { root?: string } = {},
): Promise<RunningApp> {
  const spec = name in APPS ? APPS[name as AppName] : generatedApp(name);
  const server = path.join(options.root ?? ROOT, `apps/${name}/.next/standalone/apps/${name}/server.js`);
  const port = await getFreePort();
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [server], {
    cwd: path.dirname(server),
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      PORT: String(port),
      HOSTNAME: '127.0.0.1',
      BETTER_AUTH_SECRET: 'studio-test-suite-secret-0123456789abcdef',
      DATABASE_APP_URL: appUrl,
      // The auth library and the queue connect as their own roles (C15), on the same database.
      DATABASE_AUTH_URL: urlForRole(appUrl, rolesFromEnv().auth),
      DATABASE_JOBS_URL: urlForRole(appUrl, rolesFromEnv().jobs),
      // Required in production; the test databases were migrated with the dev key.
      TENANT_CONTEXT_KEY: DEV_TENANT_CONTEXT_KEY,
      // The tests play the proxy in front: the X-Forwarded-For each browser profile sends is what a
      // proxy would have written, so each profile is its own client to the sign-in limits.
      STUDIO_TRUSTED_PROXIES: '1',
      ...spec.env(port),
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
    if (child.exitCode !== null) throw new Error(`The ${name} app exited (${child.exitCode}):\n${output.slice(-4000)}`);
    const up = await fetch(`http://127.0.0.1:${port}${spec.ready}`).then(
      () => true,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) throw new Error(`The ${name} app did not answer within 60 s:\n${output.slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    port,
    origin: (tenantSlug) => `http://${tenantSlug ? `${tenantSlug}.` : ''}localhost:${port}`,
    log: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
