// Issue 21 on a real coordinator (the platform's Citus phase, test/citus/vitest.citus.config.ts with
// CITUS_URL; skipped elsewhere): a suspension reaches the tenant directory without the NOTIFY
// trigger Citus cannot keep, a tenant is erased from the shards, and a tenant moves to a worker of
// its own choosing while the scoped client keeps writing to it; a tenant is exported from the
// shards, and moves off Citus to a plain database and back with every row (SET LOCAL binds the
// shards on both sides: set_config would have read and written nothing there).
import { ensureDatabase } from '@studio/db-schema/bootstrap';
import { databaseUrls, readDbEnv, tenantContextValue, urlForDatabase } from '@studio/db-schema/config';
import { migrateDatabase } from '@studio/db-schema/migrate';
import { customers, invoices } from '@studio/db-schema/schema';
import { CITUS_PROPAGATE_SET_COMMANDS, setLocalTenantContextSql } from '@studio/db-schema/tenant-context';
import { createDatabase } from '@studio/tenancy';
import { TenantDirectory } from '@studio/tenancy/resolver';
import type { RequestSession } from '@studio/tenancy/request';
import { count } from 'drizzle-orm';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAdminDatabase, setTenantStatus } from '../../src/index';
import { eraseTenant, exportTenant, importTenant, moveTenant, moveTenantOnCitus } from '../../src/lifecycle/index';
import { seededDatabase, type SeededDatabase } from '../helpers';

const citus = !!inject('studioCitusDatabase');

describe.skipIf(!citus)('the lifecycle on Citus', () => {
  let seeded: SeededDatabase;
  let tenantTables: string[];

  beforeAll(async () => {
    seeded = await seededDatabase();
    tenantTables = (await seeded.su<{ name: string }[]>`select logicalrelid::regclass::text as name from pg_dist_partition where partmethod = 'h' order by 1`).map((r) => r.name);
  });

  afterAll(async () => {
    await seeded?.close();
  });

  /** A tenant's rows per distributed table, read as the superuser (RLS does not bind it). */
  const rowsOf = async (tenantId: string): Promise<Record<string, number>> => {
    const out: Record<string, number> = {};
    for (const name of tenantTables) {
      const [row] = await seeded.su.unsafe<{ n: number }[]>(`select count(*)::int as n from "${name}" where tenant_id = $1`, [tenantId]);
      out[name] = row!.n;
    }
    return out;
  };

  /** Where a tenant's shard group lives: one host:port per co-located shard of it. */
  const placementsOf = async (tenantId: string): Promise<{ shard: string; node: string }[]> =>
    seeded.su<{ shard: string; node: string }[]>`
      select p.shardid::text as shard, p.nodename || ':' || p.nodeport as node
      from pg_dist_shard_placement p
      where p.shardid in (select get_shard_id_for_distribution_column(logicalrelid, ${tenantId}::text) from pg_dist_partition where partmethod = 'h')
      order by 1`;

  it('tells the tenant directory of a suspension at once, without the trigger', async () => {
    const [trigger] = await seeded.su<{ n: number }[]>`select count(*)::int as n from pg_trigger where tgrelid = 'tenants'::regclass and tgname = 'tenants_notify_change'`;
    expect(trigger!.n).toBe(0); // db:distribute dropped it
    const [user] = await seeded.su<{ id: string; name: string }[]>`select id, name from users where email = 'admin@studio.test'`;
    const me: RequestSession = { sessionId: 'test-citus', userId: user!.id, email: 'admin@studio.test', name: user!.name, isPlatformAdmin: true, activeTenantId: null };
    const admin = createAdminDatabase({ url: seeded.testDb.urls.admin });
    const app = postgres(seeded.testDb.urls.app, { max: 2, onnotice: () => {} });
    // A TTL no test waits for: only the signal can make the directory reload.
    const directory = new TenantDirectory(app, { ttlMs: 10 * 60_000 });
    try {
      expect((await directory.bySlug('globex'))?.status).toBe('active');
      await new Promise((resolve) => setTimeout(resolve, 300)); // LISTEN is set up on the first load
      const started = Date.now();
      await setTenantStatus(admin, me, seeded.ids.globex, { status: 'suspended', reason: 'unpaid since October' });
      let status: string | undefined;
      while (Date.now() - started < 5_000) {
        status = (await directory.bySlug('globex'))?.status;
        if (status === 'suspended') break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(status).toBe('suspended');
      console.log(`suspension seen by the directory after ${Date.now() - started} ms (TTL 10 min)`);
      await setTenantStatus(admin, me, seeded.ids.globex, { status: 'active' });
    } finally {
      await directory.close();
      await app.end();
      await admin.close();
    }
  });

  it('exports a tenant from the shards: every row of it, as on plain Postgres', async () => {
    const before = await rowsOf(seeded.ids.globex);
    expect(before.invoices).toBeGreaterThan(0);
    const out = new PassThrough();
    out.resume();
    const manifest = await exportTenant({ urls: { shared: seeded.testDb.urls.app }, slug: 'globex', out });
    for (const name of tenantTables) expect(manifest.tables.find((t) => t.name === name)?.rows, name).toBe(before[name]);
  });

  it('moves a tenant off Citus to a plain Postgres database and back onto the shards, every row with it', async () => {
    // A database on the coordinator's server without the citus extension is plain Postgres.
    const plainName = `${new URL(seeded.testDb.urls.migrate).pathname.slice(1)}_plain`;
    await ensureDatabase(seeded.su, plainName);
    const plainMigrate = urlForDatabase(seeded.testDb.urls.migrate, plainName);
    await migrateDatabase({ url: plainMigrate });
    const plain = databaseUrls(plainMigrate, { ...readDbEnv(), DATABASE_APP_URL: undefined, DATABASE_ADMIN_URL: undefined });
    const plainSu = postgres(plainMigrate, { max: 1, onnotice: () => {} });
    const targets = { shared: { app: seeded.testDb.urls.app, owner: seeded.testDb.urls.owner }, plain: { app: plain.app, owner: plain.owner } };
    try {
      // An audit trail too: its rows keep their order and chain through both copies.
      const app = postgres(seeded.testDb.urls.app, { max: 1, onnotice: () => {}, connection: { ...CITUS_PROPAGATE_SET_COMMANDS } });
      try {
        await app.begin(async (tx) => {
          await tx.unsafe(setLocalTenantContextSql(tenantContextValue(seeded.ids.globex)));
          for (const action of ['move.one', 'move.two', 'move.three']) await tx`insert into audit_events (tenant_id, action) values (${seeded.ids.globex}, ${action})`;
        });
      } finally {
        await app.end();
      }
      const before = await rowsOf(seeded.ids.globex);
      expect(before.audit_events).toBeGreaterThanOrEqual(3);
      await moveTenant({ targets, slug: 'globex', to: 'plain', settleMs: 0 });
      for (const name of tenantTables) {
        const [row] = await plainSu.unsafe<{ n: number }[]>(`select count(*)::int as n from "${name}" where tenant_id = $1`, [seeded.ids.globex]);
        expect(row!.n, name).toBe(before[name]);
      }
      expect(Object.values(await rowsOf(seeded.ids.globex)).every((n) => n === 0)).toBe(true);
      await moveTenant({ targets, slug: 'globex', to: 'shared', settleMs: 0 });
      expect(await rowsOf(seeded.ids.globex)).toEqual(before);
      const [{ placement }] = (await seeded.su<{ placement: string }[]>`select placement from tenants where id = ${seeded.ids.globex}`) as unknown as [{ placement: string }];
      expect(placement).toBe('shared');
    } finally {
      await plainSu.end();
      await seeded.su.unsafe(`drop database if exists "${plainName}" with (force)`);
    }
  });

  it('imports an export onto the shards: every row back, under the policies', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'studio-citus-import-'));
    try {
      const before = await rowsOf(seeded.ids.globex);
      const file = path.join(dir, 'globex.ndjson');
      const out = createWriteStream(file);
      const manifest = await exportTenant({ urls: { shared: seeded.testDb.urls.app }, slug: 'globex', out });
      out.end();
      await finished(out);
      await writeFile(`${file}.manifest.json`, JSON.stringify(manifest));
      const targets = { shared: { app: seeded.testDb.urls.app, owner: seeded.testDb.urls.owner } };
      await eraseTenant({ targets, slug: 'globex', confirm: 'globex' });
      expect(Object.values(await rowsOf(seeded.ids.globex)).every((n) => n === 0)).toBe(true);
      const result = await importTenant({ targets, file });
      expect(result.rows.invoices).toBe(before.invoices);
      expect(await rowsOf(seeded.ids.globex)).toEqual(before);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('erases a tenant from every shard, its audit trail included, and nobody else', async () => {
    // An audit trail for initech, which the shards' append-only trigger lets go only while erasing.
    const app = postgres(seeded.testDb.urls.app, { max: 1, onnotice: () => {}, connection: { ...CITUS_PROPAGATE_SET_COMMANDS } });
    try {
      await app.begin(async (tx) => {
        await tx.unsafe(setLocalTenantContextSql(tenantContextValue(seeded.ids.initech)));
        for (const action of ['citus.one', 'citus.two', 'citus.three']) await tx`insert into audit_events (tenant_id, action) values (${seeded.ids.initech}, ${action})`;
      });
    } finally {
      await app.end();
    }
    // Without the erase switch on the workers, the trail refuses a delete.
    await expect(seeded.su.begin(async (tx) => tx`delete from audit_events where tenant_id = ${seeded.ids.initech}`)).rejects.toThrow();
    const before = { initech: await rowsOf(seeded.ids.initech), acme: await rowsOf(seeded.ids.acme), globex: await rowsOf(seeded.ids.globex) };
    expect(before.initech.invoices).toBeGreaterThan(0);
    expect(before.initech.audit_events).toBeGreaterThan(0);
    const result = await eraseTenant({
      targets: { shared: { app: seeded.testDb.urls.app, owner: seeded.testDb.urls.owner } },
      slug: 'initech',
      confirm: 'initech',
    });
    for (const name of tenantTables) expect(result.deleted[name], name).toBe(before.initech[name]);
    expect(Object.values(await rowsOf(seeded.ids.initech)).every((n) => n === 0)).toBe(true);
    expect(await seeded.su`select 1 from tenants where id = ${seeded.ids.initech}`).toHaveLength(0);
    const [event] = await seeded.su<{ n: number }[]>`select count(*)::int as n from platform_events where action = 'tenant.erased' and tenant_id = ${seeded.ids.initech}`;
    expect(event!.n).toBe(1);
    expect(await rowsOf(seeded.ids.acme)).toEqual(before.acme);
    expect(await rowsOf(seeded.ids.globex)).toEqual(before.globex);
  });

  it('moves a tenant to another worker: its own shard group there, writes wait and none fails', async () => {
    const workers = (await seeded.su<{ node: string }[]>`
      select nodename || ':' || nodeport as node from pg_dist_node where noderole = 'primary' and groupid <> 0 order by nodeport`).map((r) => r.node);
    const from = (await placementsOf(seeded.ids.acme))[0]!.node;
    const to = workers.find((w) => w !== from)!;
    const others = { globex: await placementsOf(seeded.ids.globex), globexRows: await rowsOf(seeded.ids.globex) };
    const acmeRows = await rowsOf(seeded.ids.acme);

    // The scoped client writes and reads acme the whole time.
    const db = createDatabase({ url: seeded.testDb.urls.app, tenantCache: { listen: false } });
    const acme = await db.tenant(seeded.ids.acme);
    let writing = true;
    const stalls: number[] = [];
    let failures = 0;
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        const started = Date.now();
        try {
          await acme.insert(customers).values({ name: `During the move ${i}`, email: `move-${i}@acme-client.test` });
        } catch {
          failures++;
        }
        stalls.push(Date.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const progress: string[] = [];
    let result: Awaited<ReturnType<typeof moveTenantOnCitus>>;
    try {
      result = await moveTenantOnCitus({ url: seeded.testDb.urls.migrate, slug: 'acme', to, onProgress: (line) => progress.push(line) });
    } finally {
      writing = false;
      await writer;
    }
    try {
      console.log(
        `move of acme ${from} -> ${to}: isolate ${result.isolateSeconds.toFixed(1)} s, move ${result.moveSeconds.toFixed(1)} s; ` +
          `${stalls.length} writes meanwhile, ${failures} failed, longest ${Math.max(...stalls)} ms`,
      );
      expect(result.from).toBe(from);
      expect(result.to).toBe(to);
      expect(progress.some((line) => /^isolat/.test(line))).toBe(true);
      expect(failures).toBe(0);

      // Every co-located shard of acme is on the target, and holds acme only (min = max hash).
      const placed = await placementsOf(seeded.ids.acme);
      expect(placed).toHaveLength(tenantTables.length);
      expect(placed.every((p) => p.node === to)).toBe(true);
      const [mixed] = await seeded.su<{ n: number }[]>`
        select count(*)::int as n from pg_dist_shard where shardid in ${seeded.su(placed.map((p) => p.shard))} and shardminvalue <> shardmaxvalue`;
      expect(mixed!.n).toBe(0);

      // The scoped client still reads acme's rows, and only those.
      const [n] = await acme.select({ n: count() }).from(invoices);
      expect(n!.n).toBe(acmeRows.invoices);
      const written = await acme.select({ tenantId: customers.tenantId }).from(customers);
      expect(written.length).toBe(acmeRows.customers! + stalls.length);
      expect(written.every((r) => r.tenantId === seeded.ids.acme)).toBe(true);
      // Others untouched: globex's placements and rows.
      expect(await placementsOf(seeded.ids.globex)).toEqual(others.globex);
      expect(await rowsOf(seeded.ids.globex)).toEqual(others.globexRows);

      // Moving it again to where it is now is refused, as are an unknown node and an unknown tenant.
      const url = seeded.testDb.urls.migrate;
      await expect(moveTenantOnCitus({ url, slug: 'acme', to })).rejects.toMatchObject({ code: 'TENANT_ALREADY_THERE' });
      await expect(moveTenantOnCitus({ url, slug: 'acme', to: '127.0.0.1:1' })).rejects.toMatchObject({ code: 'CITUS_NODE_UNKNOWN' });
      await expect(moveTenantOnCitus({ url, slug: 'no-such-tenant', to })).rejects.toMatchObject({ code: 'TENANT_NOT_FOUND' });
      // Back to where it was: the shard is acme's alone already, so only the move runs.
      const back = await moveTenantOnCitus({ url, slug: 'acme', to: from });
      expect(back.isolated).toBe(false);
      expect((await placementsOf(seeded.ids.acme)).every((p) => p.node === from)).toBe(true);
    } finally {
      await db.close();
    }
  });
});
