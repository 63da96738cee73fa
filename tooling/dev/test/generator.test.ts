/**
 * `pnpm turbo gen product` in a fresh clone of this repo: the generated app must typecheck,
 * lint, pass its contract test and build, untouched, and db-schema's own checks (migrations in
 * sync with the schema, the schema lint) must still pass with its new table. Then its production
 * build is started on a demo database and the authorization matrix (C14) calls every page, route
 * and server action of it over HTTP as every kind of caller it has, as for the shipped products.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { seedDemoCredentials } from '@studio/auth';
import { databaseUrls, readDbEnv, urlForDatabase } from '@studio/db-schema/config';
import { startApp, type RunningApp } from '@studio/e2e/apps';
import { startEmbeddedPostgres } from '@studio/pg-server';
import { signIn } from '@studio/e2e/http';
import { describeFailures, findEntryPoints, runHttpMatrix, type MatrixCaller } from '@studio/tenancy/testing';
import type { PermissionTable } from '@studio/tenancy/request';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim();
let dir: string;
let repo: string;
let built = false;
let app: RunningApp | undefined;
let database: { name: string; server: string } | undefined;
let embedded: { stop(): Promise<void> } | undefined;

function run(command: string, args: string[], cwd = repo, env: Record<string, string> = {}): string {
  const started = Date.now();
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CI: 'true', TURBO_TELEMETRY_DISABLED: '1', NEXT_TELEMETRY_DISABLED: '1', ...env },
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  } finally {
    console.log(`  ${command} ${args.join(' ')} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'studio-gen-'));
  repo = path.join(dir, 'repo');
  // The committed tree: what a developer who pulls main gets.
  run('git', ['clone', '--quiet', root, repo], dir);
  run('pnpm', ['install', '--prefer-offline', '--frozen-lockfile']);
});

afterAll(async () => {
  await app?.stop();
  if (database) {
    const sql = postgres(database.server, { max: 1, onnotice: () => {} });
    await sql.unsafe(`drop database if exists "${database.name}" with (force)`).finally(() => sql.end());
  }
  await embedded?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('turbo gen product', () => {
  it('writes an app that typechecks, lints, passes its contract test and builds', () => {
    run('pnpm', ['turbo', 'gen', 'product', '--args', 'sample', '3098']);
    expect(existsSync(path.join(repo, 'apps/sample/src/proxy.ts'))).toBe(true);
    expect(existsSync(path.join(repo, 'packages/db-schema/src/schema/sample-items.ts'))).toBe(true);
    // The new workspace package joins the lockfile, from the local store.
    run('pnpm', ['install', '--prefer-offline', '--no-frozen-lockfile']);
    run('pnpm', ['--filter', '@studio/sample', 'run', 'typecheck']);
    run('pnpm', ['--filter', '@studio/sample', 'run', 'lint']);
    const tests = run('pnpm', ['--filter', '@studio/sample', 'run', 'test']);
    // Its own three tests, and the leak test kit's matrix over every tenant table.
    expect(tests).toMatch(/\d{2,} passed/);
    expect(tests).not.toMatch(/failed/);
    run('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=@studio/sample']);
    expect(existsSync(path.join(repo, 'apps/sample/.next/standalone'))).toBe(true);
    // The schema with the new table: migrations in sync, the lint satisfied, RLS forced, the
    // database check and a migrate + seed passing (db-schema's suites a new table can break; the
    // rest test the migration tooling itself, which the generator does not touch).
    const schemaSuites = ['migrations-in-sync', 'schema-lint', 'rls', 'db-check', 'migrate-seed'].map((name) => `test/${name}.test.ts`);
    const schemaTests = run('pnpm', ['--filter', '@studio/db-schema', 'exec', 'vitest', 'run', ...schemaSuites]);
    // eslint-disable-next-line no-control-regex -- vitest's colours
    const summary = schemaTests.replace(/\x1b\[[0-9;]*m/g, '');
    expect(summary).toMatch(/Test Files\s+5 passed \(5\)/);
    run('pnpm', ['--filter', '@studio/db-schema', 'run', 'cli', 'lint']);
    built = true;
  });

  it('answers every kind of caller over HTTP as its permission table says (the authorization matrix, C14)', async () => {
    expect(built, 'the app was not generated and built').toBe(true);
    const appDir = path.join(repo, 'apps/sample');
    // The demo database, migrated and seeded by the copy itself: its migrations hold the new table.
    // DATABASE_URL's server, as the generated app's own tests use; otherwise one of our own.
    let server = process.env.DATABASE_URL;
    if (!server) {
      // On a root machine the server runs as the `postgres` OS user, which must reach the folder.
      await chmod(dir, 0o755);
      const started = await startEmbeddedPostgres({ dataDir: path.join(dir, 'postgres'), persistent: false, fast: true });
      embedded = started;
      server = started.url;
    }
    database = { name: `studio_gen_${randomBytes(5).toString('hex')}`, server };
    const migrateUrl = urlForDatabase(server, database.name);
    run('pnpm', ['--filter', '@studio/db-schema', 'run', 'cli', 'migrate', '--friday-ok'], repo, { DATABASE_URL: migrateUrl });
    run('pnpm', ['--filter', '@studio/db-schema', 'run', 'cli', 'seed'], repo, { DATABASE_URL: migrateUrl });
    const urls = databaseUrls(migrateUrl, { ...readDbEnv(), DATABASE_APP_URL: undefined, DATABASE_AUTH_URL: undefined, DATABASE_JOBS_URL: undefined, DATABASE_ADMIN_URL: undefined });
    const su = postgres(migrateUrl, { max: 1, onnotice: () => {} });
    try {
      // An admin and a member to be removed, beside the demo's owner (alice) and member (dave).
      const [acme] = await su<{ id: string }[]>`select id from tenants where slug = 'acme'`;
      for (const [email, role] of [['erin@acme.test', 'admin'], ['gina@acme.test', 'member']] as const) {
        const [user] = await su<{ id: string }[]>`insert into users (email, name, email_verified) values (${email}, ${email.split('@')[0]!}, true) returning id`;
        await su`insert into memberships (tenant_id, user_id, role) values (${acme!.id}, ${user!.id}, ${role})`;
      }
      await seedDemoCredentials(urls.owner);

      app = await startApp('sample', urls.app, {}, { root: repo });
      const port = app.port;
      const host = `localhost:${port}`;
      const cookie = (email: string) => signIn(port, host, email);
      const removed = await cookie('gina@acme.test');
      await su`delete from memberships where user_id = (select id from users where email = 'gina@acme.test') and tenant_id = ${acme!.id}`;
      // The generated product has no JSON API: no API tokens, so no token callers (as lessons).
      const callers: MatrixCaller[] = [
        { label: 'owner', as: { kind: 'member', role: 'owner' }, headers: { cookie: await cookie('alice@acme.test') } },
        { label: 'admin', as: { kind: 'member', role: 'admin' }, headers: { cookie: await cookie('erin@acme.test') } },
        { label: 'member', as: { kind: 'member', role: 'member' }, headers: { cookie: await cookie('dave@example.test') } },
        { label: 'anonymous', as: { kind: 'anonymous' }, headers: {} },
        { label: "globex's owner", as: { kind: 'outsider' }, headers: { cookie: await cookie('bob@globex.test') } },
        { label: 'removed member', as: { kind: 'outsider' }, headers: { cookie: removed } },
        { label: 'platform admin', as: { kind: 'outsider' }, headers: { cookie: await cookie('admin@studio.test') } },
      ];

      // The table the app enforces, read from the generated app itself.
      const { permissions } = (await import(pathToFileURL(path.join(appDir, 'src/permissions.ts')).href)) as { permissions: PermissionTable };
      const entries = findEntryPoints(appDir);
      expect(entries.filter((e) => e.kind === 'page').length).toBeGreaterThan(0);
      const results = await runHttpMatrix(appDir, entries, permissions, { port, host, tenantSlug: 'acme', callers });
      const failures = describeFailures(results);
      if (failures || results.some((r) => r.status >= 500)) console.error(`[sample app log]\n${app.log().slice(-6000)}`);
      // Every entry point with a declared need was called, as every caller.
      for (const entry of entries.filter((e) => e.need !== null)) {
        expect(results.filter((r) => r.entry === entry).length, `${entry.kind} ${entry.route} was not called`).toBeGreaterThan(0);
      }
      expect(failures).toBe('');
    } finally {
      await su.end();
    }
  });
});
