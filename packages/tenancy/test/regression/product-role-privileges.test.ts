/**
 * Issue 18: the product role (every app connects as it) read every session token and password
 * hash, made its user a platform admin, read and wrote every tenant's jobs, dropped a queue,
 * held another tenant's audit-seal lock and read the platform's row counts. Each statement of
 * that list, run as the product role on a raw connection, is now refused by the database.
 */
import { tenantContextValue } from '@studio/db-schema/config';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { seededWithAppConnection } from '../helpers';

const world = seededWithAppConnection();

const denied = { code: '42501' };

describe('the product role can do only its job (C15)', () => {
  it('cannot read credentials or invitation ids', async () => {
    await expect(world.app`select token from sessions`).rejects.toMatchObject(denied);
    await expect(world.app`select password from accounts`).rejects.toMatchObject(denied);
    await expect(world.app`select value from verifications`).rejects.toMatchObject(denied);
    await expect(world.app`select id from invitations`).rejects.toMatchObject(denied);
  });

  it('cannot make anyone a platform admin, or write users at all', async () => {
    await expect(world.app`update users set is_platform_admin = true`).rejects.toMatchObject(denied);
    await expect(world.app`insert into users (id, name, email, is_platform_admin) values (gen_random_uuid(), 'x', 'x@x.test', true)`).rejects.toMatchObject(denied);
  });

  it('cannot make a platform admin through the auth role either: only the owner may', async () => {
    const auth = postgres(world.seeded.testDb.urls.auth, { max: 1, onnotice: () => {} });
    try {
      await expect(auth`update users set is_platform_admin = true`).rejects.toMatchObject(denied);
      await expect(
        auth`insert into users (id, name, email, email_verified, is_platform_admin) values (gen_random_uuid(), 'x', 'x@x.test', false, true)`,
      ).rejects.toMatchObject(denied);
      // Its own job still works: reading sessions, updating a name.
      await auth`select token from sessions limit 1`;
      await auth`update users set name = name where email = 'dave@example.test'`;
    } finally {
      await auth.end();
    }
  });

  it("sees users and memberships of its current tenant only, and nobody's without one", async () => {
    expect(await world.app`select id from users`).toEqual([]);
    expect(await world.app`select id from memberships`).toEqual([]);
    const rows = await world.app.begin(async (tx) => {
      await tx`select set_config('app.tenant_context', ${tenantContextValue(world.seeded.ids.acme)}, true)`;
      return tx<{ tenant_id: string }[]>`select distinct tenant_id from memberships`;
    });
    expect(rows.map((r) => r.tenant_id)).toEqual([world.seeded.ids.acme]);
  });

  it('cannot touch the job queue: payloads, inserts or its functions', async () => {
    await expect(world.app`select data from studio_jobs.job`).rejects.toMatchObject(denied);
    await expect(world.app`insert into studio_jobs.job (name, data) values ('export', '{}')`).rejects.toMatchObject(denied);
    await expect(world.app`select studio_jobs.delete_queue('export')`).rejects.toMatchObject(denied);
    const jobs = postgres(world.seeded.testDb.urls.jobs, { max: 1, onnotice: () => {} });
    try {
      await jobs`select count(*) from studio_jobs.job`; // the jobs role's own job
      await expect(jobs`select token from sessions`).rejects.toMatchObject(denied);
      await expect(jobs`select id from customers`).rejects.toMatchObject(denied);
    } finally {
      await jobs.end();
    }
  });

  it("cannot take another tenant's audit-seal lock, notify, or signal a backend", async () => {
    await expect(world.app`select pg_advisory_lock(hashtextextended(${`studio.audit:${world.seeded.ids.globex}`}, 0))`).rejects.toMatchObject(denied);
    await expect(world.app`select pg_try_advisory_xact_lock(1)`).rejects.toMatchObject(denied);
    await expect(world.app`select pg_notify('studio_tenant_changed', 'x')`).rejects.toMatchObject(denied);
    await expect(world.app`select pg_terminate_backend(pg_backend_pid())`).rejects.toMatchObject(denied);
  });

  // Red-team findings: the functions under the pg_stat views, large objects, and the
  // maintenance database where none of this database's revokes apply.
  it('cannot reach the statistics functions, large objects or the postgres database', async () => {
    await expect(world.app`select pg_stat_get_live_tuples('invoices'::regclass)`).rejects.toMatchObject(denied);
    await expect(world.app`select pg_stat_get_backend_activity(1)`).rejects.toMatchObject(denied);
    await expect(world.app`select lo_creat(-1)`).rejects.toMatchObject(denied);
    await expect(world.app`select lo_from_bytea(0, '\\x00')`).rejects.toMatchObject(denied);
    const url = new URL(world.seeded.testDb.urls.app);
    url.pathname = '/postgres';
    const maintenance = postgres(url.toString(), { max: 1, onnotice: () => {} });
    try {
      await expect(maintenance`select 1`).rejects.toMatchObject(denied);
    } finally {
      await maintenance.end();
    }
  });

  it("cannot read other sessions' queries or the platform's row counts, or create temp tables", async () => {
    await expect(world.app`select query from pg_stat_activity`).rejects.toMatchObject(denied);
    await expect(world.app`select relname, n_live_tup from pg_stat_user_tables`).rejects.toMatchObject(denied);
    await expect(world.app`select * from pg_stats`).rejects.toMatchObject(denied);
    await expect(world.app`create temp table shadow (x int)`).rejects.toMatchObject(denied);
  });
});
