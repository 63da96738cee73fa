import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDatabase } from '../src/check';
import type { Roles } from '../src/config';
import { createTestDatabase, type TestDatabase } from '../src/testing/index';

const run = promisify(execFile);
const databases: TestDatabase[] = [];

afterAll(async () => {
  await Promise.all(databases.map((db) => db.drop()));
});

async function fresh(roles?: Roles) {
  const db = await createTestDatabase({ roles });
  databases.push(db);
  return db;
}

async function asSuperuser(db: TestDatabase, statement: string) {
  const sql = postgres(db.urls.migrate, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(statement);
  } finally {
    await sql.end();
  }
}

async function asServerSuperuser(db: TestDatabase, statement: string) {
  const sql = postgres(db.serverUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(statement);
  } finally {
    await sql.end();
  }
}

const failed = (results: { check: string; ok: boolean }[]) => results.filter((r) => !r.ok).map((r) => r.check);

describe('db:check drift detection (C5, C15)', () => {
  it('passes on a freshly migrated database', async () => {
    const db = await fresh();
    const results = await checkDatabase({ url: db.urls.migrate, roles: db.roles });
    expect(failed(results)).toEqual([]);
    expect(results.map((r) => r.check)).toContain('rls forced: invoices');
  });

  // C15: the privilege map. One grant by hand, one revoke a migration "forgot", one built-in
  // handed back to PUBLIC: each is named.
  it('fails on a grant the privilege map does not declare, naming it', async () => {
    const db = await fresh();
    await asSuperuser(db, `grant select on sessions to ${db.roles.app.name}; grant select (password) on accounts to ${db.roles.admin.name}`);
    expect(failed(await checkDatabase({ url: db.urls.migrate, roles: db.roles }))).toEqual([
      'undeclared grant: admin SELECT column public.accounts.password',
      'undeclared grant: app SELECT table public.sessions',
    ]);
  });

  it('fails on a declared grant that is missing, and on a built-in given back to PUBLIC', async () => {
    const db = await fresh();
    await asSuperuser(
      db,
      `revoke execute on function studio_tenant() from ${db.roles.app.name}; grant execute on function pg_catalog.query_to_xml(text, boolean, boolean, text) to public`,
    );
    expect(failed(await checkDatabase({ url: db.urls.migrate, roles: db.roles }))).toEqual([
      'undeclared grant: PUBLIC EXECUTE function pg_catalog.query_to_xml(text,boolean,boolean,text)',
      'missing grant: app EXECUTE function public.studio_tenant()',
    ]);
  });

  it('fails when FORCE ROW LEVEL SECURITY is dropped from a table', async () => {
    const db = await fresh();
    await asSuperuser(db, 'alter table invoices no force row level security');
    expect(failed(await checkDatabase({ url: db.urls.migrate, roles: db.roles }))).toEqual(['rls forced: invoices']);
  });

  it('fails when row security is disabled or the policy is dropped', async () => {
    const db = await fresh();
    await asSuperuser(db, 'alter table customers disable row level security; drop policy tenant_isolation on audit_events');
    expect(failed(await checkDatabase({ url: db.urls.migrate, roles: db.roles }))).toEqual([
      'rls enabled: customers',
      'policy: audit_events',
    ]);
  });

  it('fails when an extra permissive policy is added', async () => {
    const db = await fresh();
    await asSuperuser(db, 'create policy everyone on invoices for select using (true)');
    expect(failed(await checkDatabase({ url: db.urls.migrate, roles: db.roles }))).toEqual(['no extra policies']);
  });

  it('fails when the tenant policy only mentions the current tenant (an OR widens it)', async () => {
    const db = await fresh();
    await asSuperuser(
      db,
      'alter policy tenant_isolation on invoices using (tenant_id = (select tenant_id from studio_current_tenant) or true)',
    );
    expect(failed(await checkDatabase({ url: db.urls.migrate, roles: db.roles }))).toEqual(['policy: invoices']);
  });

  // Role attributes are cluster-wide: this test gets roles of its own, so other tests are untouched.
  it('fails when the app role is given BYPASSRLS, and the CLI exits 1 with a table', async () => {
    const suffix = randomBytes(3).toString('hex');
    const roles: Roles = {
      owner: { name: `drift_owner_${suffix}`, password: 'drift-owner' },
      app: { name: `drift_app_${suffix}`, password: 'drift-app' },
      auth: { name: `drift_auth_${suffix}`, password: 'drift-auth' },
      jobs: { name: `drift_jobs_${suffix}`, password: 'drift-jobs' },
      admin: { name: `drift_admin_${suffix}`, password: 'drift-admin' },
    };
    const db = await fresh(roles);
    expect(failed(await checkDatabase({ url: db.urls.migrate, roles }))).toEqual([]);
    await asSuperuser(db, `alter role ${roles.app.name} bypassrls`);
    try {
      expect(failed(await checkDatabase({ url: db.urls.migrate, roles }))).toEqual(['app role does not bypass RLS']);

      const cli = await run('pnpm', ['-s', 'cli', 'check'], {
        env: {
          ...process.env,
          DATABASE_URL: db.urls.migrate,
          DB_OWNER_ROLE: roles.owner.name,
          DB_APP_ROLE: roles.app.name,
          DB_AUTH_ROLE: roles.auth.name,
          DB_JOBS_ROLE: roles.jobs.name,
          DB_ADMIN_ROLE: roles.admin.name,
        },
      }).then(
        () => ({ code: 0, stdout: '' }),
        (error: { code: number; stdout: string }) => error,
      );
      expect(cli.code).toBe(1);
      expect(cli.stdout).toMatch(/app role does not bypass RLS\s*│\s*FAIL/);
      expect(cli.stdout).toMatch(/\b1 of \d+ checks failed\./);
    } finally {
      // Leave the shared server as we found it: these roles exist for this test only.
      databases.splice(databases.indexOf(db), 1);
      await db.drop();
      await asServerSuperuser(db, `drop role ${roles.owner.name}, ${roles.app.name}, ${roles.auth.name}, ${roles.jobs.name}, ${roles.admin.name}`);
    }
  }, 120_000); // Migrates a database for roles of its own and runs the CLI (tsx start-up): slow on a loaded machine.

  it('fails when the app role owns a table or is a member of the owner role', async () => {
    const db = await fresh();
    await asSuperuser(db, `create table app_owned (id int); alter table app_owned owner to ${db.roles.app.name}`);
    const results = failed(await checkDatabase({ url: db.urls.migrate, roles: db.roles }));
    expect(results).toEqual(['app role owns no table', `tables owned by ${db.roles.owner.name}`]);
  });
});
