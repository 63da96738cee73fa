/**
 * A single scoped statement is one implicit transaction: the tenant setting, the statement and
 * its audit row go with one Sync, no BEGIN/COMMIT, no reserved connection, pipelined with other
 * operations on the same connection (src/scoped/executor.ts and wire.ts: node-postgres in pipeline
 * mode, one Operation per statement). These pin what that must never lose: each operation sees its own
 * tenant and nothing else, an error stays inside its operation, and a connection is never handed
 * on inside a transaction.
 */
import { auditEvents, customers } from '@studio/db-schema/schema';
import { and, count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../src/index';
import { internals } from '../src/internal/symbols';
import { createScopedPool } from '../src/scoped/executor';
import type { ScopedPool } from '../src/scoped/wire';
import { seededDatabase, type SeededDatabase } from './helpers';

let seeded: SeededDatabase;
beforeAll(async () => {
  seeded = await seededDatabase();
});
afterAll(async () => {
  await seeded?.close();
});

/** A client whose request pool has one connection, so every operation shares it. */
function oneConnection(pooler: 'none' | 'transaction' = 'none'): Database {
  // current_setting: the statements read their own context (the guard refuses it to products).
  return createDatabase({ url: seeded.testDb.urls.app, poolSize: 1, pooler, tenantCache: { listen: false }, allowFunctions: ['current_setting'] });
}

/** What the next statement on the pool's connection sees: no setting, and no open transaction block. */
async function outsideAnyTransaction(pool: ScopedPool | Database): Promise<{ setting: string; savepoint: string | undefined }> {
  const scoped = 'shared' in pool ? pool : pool[internals].placements.get('shared')!.scoped.request;
  const { rows } = await scoped.shared((conn) => conn.run([{ text: "select current_setting('app.tenant_context', true) as t", values: [], result: 'object' }]));
  // SAVEPOINT outside a transaction block fails with 25P01.
  const savepoint = await scoped.shared((conn) => conn.run([{ text: 'savepoint probe', values: [] }])).then(
    () => 'inside a transaction',
    (e: { code?: string }) => e.code,
  );
  return { setting: (rows[0] as { t: string | null }).t ?? '', savepoint };
}

describe('one statement, one implicit transaction', () => {
  it('pipelines operations of different tenants on one connection, each under its own tenant', async () => {
    const db = oneConnection();
    try {
      const tenants = [seeded.ids.acme, seeded.ids.globex, seeded.ids.initech];
      const clients = await Promise.all(tenants.map((id) => db.tenant(id)));
      const results = await Promise.all(
        Array.from({ length: 300 }, async (_, i) => {
          const tdb = clients[i % 3]!;
          // The setting and the rows RLS lets through, read by the statement itself.
          const [row] = await tdb.execute<{ setting: string; foreign: number }>(
            sql`select split_part(current_setting('app.tenant_context'), '.', 3) as setting,
                       (select count(*)::int from customers where tenant_id = ${tdb.tenantId} and tenant_id <> split_part(current_setting('app.tenant_context'), '.', 3)::uuid) as foreign`,
          );
          return { expected: tdb.tenantId, ...row! };
        }),
      );
      expect(results.filter((r) => r.setting !== r.expected || r.foreign !== 0)).toEqual([]);
      expect(await outsideAnyTransaction(db)).toEqual({ setting: '', savepoint: '25P01' });
    } finally {
      await db.close();
    }
  });

  it('keeps an error inside its own operation: the operations pipelined around it succeed', async () => {
    const db = oneConnection();
    try {
      const acme = await db.tenant(seeded.ids.acme);
      const globex = await db.tenant(seeded.ids.globex);
      const marker = `pipe-${Date.now()}`;
      const outcomes = await Promise.allSettled([
        acme.insert(customers).values({ name: `${marker}-a` }),
        // Fails at the server after its tenant setting ran: the whole implicit transaction goes.
        globex.audited({ action: 'customer.create', target: `${marker}-b` }).insert(customers).values({ name: `${marker}-b`, email: sql`(1/0)::text` }),
        globex.insert(customers).values({ name: `${marker}-c` }),
        acme.execute(sql`select 1/0`),
        acme.select({ n: count() }).from(customers),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
      expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ code: '22012' });
      const names = await seeded.su<{ name: string; tenant_id: string }[]>`select name, tenant_id from customers where name like ${marker + '-%'} order by name`;
      expect(names).toEqual([
        { name: `${marker}-a`, tenant_id: seeded.ids.acme },
        { name: `${marker}-c`, tenant_id: seeded.ids.globex },
      ]);
      // The failed write's audit row went with it.
      const [audited] = await globex.select({ n: count() }).from(auditEvents).where(and(eq(auditEvents.target, `${marker}-b`)));
      expect(audited!.n).toBe(0);
      expect(await outsideAnyTransaction(db)).toEqual({ setting: '', savepoint: '25P01' });
    } finally {
      await db.close();
    }
  });

  it('writes a statement and its audit row in one transaction behind a transaction pooler too (unnamed statements)', async () => {
    const db = oneConnection('transaction');
    try {
      const acme = await db.tenant(seeded.ids.acme);
      const target = `pooled-${Date.now()}`;
      await Promise.all([
        acme.audited({ action: 'customer.create', target }).insert(customers).values({ name: target }),
        acme.select().from(customers).limit(1),
      ]);
      const [row] = await seeded.su<{ rows: number; audited: number }[]>`
        select (select count(*)::int from customers where name = ${target}) as rows,
               (select count(*)::int from audit_events where target = ${target} and tenant_id = ${seeded.ids.acme}) as audited`;
      expect(row).toEqual({ rows: 1, audited: 1 });
      expect(await outsideAnyTransaction(db)).toEqual({ setting: '', savepoint: '25P01' });
    } finally {
      await db.close();
    }
  });

  it('closes a connection that a statement left inside a transaction block, so no setting outlives it', async () => {
    // The guard refuses BEGIN through the scoped client; this is the executor's own safety net,
    // exercised on the pool directly.
    const pool = createScopedPool(seeded.testDb.urls.app, 1, 'studio:pipeline-test');
    try {
      const conn = await pool.shared((c) => c);
      const begin = conn.run(
        [
          { text: "select set_config('app.tenant_context', $1::text, true)", values: [seeded.ids.acme] },
          { text: 'begin', values: [] },
        ],
        true,
      );
      await expect(begin).rejects.toThrow(/left a transaction open/);
      expect(conn.dead).toBe(true);
      expect(await outsideAnyTransaction(pool)).toEqual({ setting: '', savepoint: '25P01' });
      const [again] = await seeded.su<{ n: number }[]>`select count(*)::int as n from pg_stat_activity where application_name = 'studio:pipeline-test' and state like 'idle in transaction%'`;
      expect(again!.n).toBe(0);
    } finally {
      await pool.end();
    }
  });
});

describe('named statements on a pipelined connection', () => {
  it('reads the rows of a statement it described once, and after a table change under it parses afresh', async () => {
    const pool = createScopedPool(seeded.testDb.urls.migrate, 1, 'studio:shape-test');
    const table = `shape_probe_${Date.now()}`;
    await seeded.su.unsafe(`create table ${table} (id int, label text)`);
    await seeded.su.unsafe(`insert into ${table} values (1, 'one')`);
    try {
      const read = () => pool.shared((c) => c.run([{ text: `select * from ${table}`, values: [], result: 'object' }])).then(async (sent) => (await sent).rows);
      // The first execution describes its rows; the next ones skip Describe and read the same shape.
      expect(await read()).toEqual([{ id: 1, label: 'one' }]);
      expect(await read()).toEqual([{ id: 1, label: 'one' }]);
      // The table changes under the named statement: Postgres refuses it once (0A000) ...
      await seeded.su.unsafe(`alter table ${table} alter column id type text`);
      await expect(read()).rejects.toMatchObject({ code: '0A000' });
      // ... and the next execution is parsed and described afresh, with the new types.
      expect(await read()).toEqual([{ id: '1', label: 'one' }]);
      expect(await read()).toEqual([{ id: '1', label: 'one' }]);
    } finally {
      await pool.end();
      await seeded.su.unsafe(`drop table if exists ${table}`);
    }
  });

  it('keeps at most 500 named statements on a connection, closing the least recently used', async () => {
    const pool = createScopedPool(seeded.testDb.urls.migrate, 1, 'studio:lru-test');
    try {
      const run = (text: string) => pool.shared((c) => c.run([{ text, values: [], result: 'array' }])).then(async (sent) => (await sent).rows);
      for (let i = 0; i < 650; i++) expect(await run(`select ${i} as n`)).toEqual([[i]]);
      // The first statements were closed; running one again prepares it anew.
      expect(await run('select 0 as n')).toEqual([[0]]);
      const [count] = (await run('select count(*)::int from pg_prepared_statements')) as [[number]];
      expect(count[0]).toBeLessThanOrEqual(500);
      expect(count[0]).toBeGreaterThan(400);
    } finally {
      await pool.end();
    }
  });
});
