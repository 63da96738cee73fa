/**
 * `pnpm dev`: a newcomer's first command. With no DATABASE_URL it starts an embedded PostgreSQL
 * (data kept in .data/postgres), migrates it, seeds the demo tenants on the first run, then runs
 * every app through turbo. Ctrl-C stops all of it, Postgres included.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import postgres from 'postgres';
import { DEMO_PASSWORD, seedDemoCredentials } from '@studio/auth';
import { ensureDatabase } from '@studio/db-schema/bootstrap';
import { databaseUrls, readDbEnv, redactUrl, urlForDatabase } from '@studio/db-schema/config';
import { migrateDatabase } from '@studio/db-schema/migrate';
import { demoUsers, seedDemo } from '@studio/db-schema/seed';
import {
  clearDevState,
  devDataDir,
  findWorkspaceRoot,
  lastDevPort,
  readDevState,
  startEmbeddedPostgres,
  writeDevState,
  type RunningPostgres,
} from '@studio/pg-server';

const DEV_DATABASE = 'studio';
const root = findWorkspaceRoot();
const say = (line: string) => console.log(`[dev] ${line}`);

async function main() {
  const env = readDbEnv();
  let server: RunningPostgres | undefined;
  let migrateUrl: string;

  if (env.DATABASE_URL) {
    migrateUrl = env.DATABASE_URL;
    say(`Using DATABASE_URL ${redactUrl(migrateUrl)}`);
  } else {
    const running = readDevState(root);
    if (running) {
      throw new Error(`A dev database is already running (pid ${running.pid}, port ${running.port}). Stop that \`pnpm dev\` first.`);
    }
    const started = Date.now();
    server = await startEmbeddedPostgres({
      dataDir: path.join(devDataDir(root), 'postgres'),
      port: lastDevPort(root) ?? 54329,
      persistent: true,
    });
    await writeDevState(
      { serverUrl: server.url, database: DEV_DATABASE, port: server.port, pid: process.pid, startedAt: new Date().toISOString() },
      root,
    );
    say(`Embedded PostgreSQL ready on port ${server.port} in ${Date.now() - started} ms (data in .data/postgres)`);
    const admin = postgres(server.url, { max: 1, onnotice: () => {} });
    try {
      await ensureDatabase(admin, DEV_DATABASE);
    } finally {
      await admin.end();
    }
    migrateUrl = urlForDatabase(server.url, DEV_DATABASE);
  }

  const stop = async () => {
    if (server) {
      await server.stop().catch(() => undefined);
      await clearDevState(root);
    }
  };

  try {
    await migrateDatabase({ url: migrateUrl });
    say('Migrations applied.');
    const urls = databaseUrls(migrateUrl, env);
    const seeded = await seedDemo(urls.owner);
    say(seeded.seeded ? 'Demo tenants seeded: acme, globex, initech.' : 'Demo data already present.');
    const withPasswords = await seedDemoCredentials(urls.owner);
    if (withPasswords > 0) say(`Demo password set for ${withPasswords} user(s).`);

    const child = startApps({
      DATABASE_URL: migrateUrl,
      DATABASE_APP_URL: urls.app,
      DATABASE_ADMIN_URL: urls.admin,
    });
    printWelcome(urls.app);
    await waitForExit(child, stop);
  } catch (error) {
    await stop();
    throw error;
  }
}

function startApps(extraEnv: Record<string, string>): ChildProcess {
  return spawn('pnpm', ['exec', 'turbo', 'run', 'dev', '--filter=./apps/*'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...extraEnv },
  });
}

function printWelcome(appUrl: string) {
  const lines = [
    '',
    'Apps (they start in a few seconds):',
    '  invoices  http://acme.localhost:3001    (each tenant on its subdomain: http://<slug>.localhost:3001; RLS + guard)',
    '  lessons   http://localhost:3002/t/acme  (each tenant under its path: /t/<slug>; guard only)',
    '  admin     http://localhost:3003         (platform admins only: admin@studio.test)',
    '',
    `Demo users (password: ${DEMO_PASSWORD}):`,
    ...demoUsers.map((u) => `  ${u.email.padEnd(22)} ${u.memberships.map(([t, r]) => `${t}:${r}`).join(', ') || 'platform admin'}`),
    '',
    `Database (app role): ${redactUrl(appUrl)}   full URLs: pnpm db:info`,
    'Press Ctrl-C to stop everything.',
    '',
  ];
  for (const line of lines) say(line);
}

function waitForExit(child: ChildProcess, stop: () => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const shutdown = async (code: number) => {
      if (stopping) return;
      stopping = true;
      if (child.exitCode === null) child.kill('SIGINT');
      await stop();
      say('Stopped.');
      process.exitCode = code;
      resolve();
    };
    process.on('SIGINT', () => void shutdown(0));
    process.on('SIGTERM', () => void shutdown(0));
    child.on('exit', (code) => void shutdown(code ?? 0));
  });
}

main().catch((error: unknown) => {
  console.error(`[dev] Error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
