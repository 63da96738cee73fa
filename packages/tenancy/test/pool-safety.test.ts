/**
 * Pool safety (C5): many tenants interleaved over few pooled connections, with random delays and
 * failures mid-transaction. Every row read belongs to the context tenant, the context inside a
 * transaction is always its own tenant's, rolled-back writes leave nothing, and afterwards no
 * connection carries an app.tenant_id.
 */
import { customers, lessonPlans } from '@studio/db-schema/schema';
import { and, count, eq, like, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type TenantDb } from '../src/index';
import { internals } from '../src/internal/symbols';
import { seededDatabase, type SeededDatabase } from './helpers';

const TENANTS = 50;
const OPERATIONS = 5000;
const POOL = 5;

let seeded: SeededDatabase;
let tenantIds: string[];

function stableRows(index: number) {
  return (index % 5) + 1;
}

beforeAll(async () => {
  seeded = await seededDatabase();
  // Arranged as the superuser: tenants and a known number of rows in each.
  const su = postgres(seeded.testDb.urls.migrate, { max: 1, onnotice: () => {} });
  try {
    const rows = await su<{ id: string }[]>`
      insert into tenants (slug, name)
      select 'pool-' || i, 'Pool ' || i from generate_series(1, ${TENANTS}) i
      returning id`;
    tenantIds = rows.map((r) => r.id);
    for (const [index, id] of tenantIds.entries()) {
      await su`insert into customers (tenant_id, name, email)
        select ${id}, 'stable ' || i, 'stable' || i || '@example.test' from generate_series(1, ${stableRows(index)}) i`;
      await su`insert into lesson_plans (tenant_id, title, subject)
        select ${id}, 'stable ' || i, 'maths' from generate_series(1, ${stableRows(index)}) i`;
    }
  } finally {
    await su.end();
  }
});
afterAll(async () => {
  await seeded?.close();
});

/** A seeded generator: a failing run can be replayed. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each([
  { mode: 'rls' as const, table: customers, label: customers.name, row: (l: string) => ({ name: l, email: `${l}@example.test` }) },
  { mode: 'app' as const, table: lessonPlans, label: lessonPlans.title, row: (l: string) => ({ title: l, subject: 'pool' }) },
])('pool safety in $mode mode', ({ mode, table, label, row }) => {
  it(`${OPERATIONS} interleaved operations for ${TENANTS} tenants over ${POOL} connections`, async () => {
    // current_setting: to look at the context inside a transaction (the guard refuses it to products).
    const db = createDatabase({ url: seeded.testDb.urls.app, mode, poolSize: POOL, allowFunctions: ['current_setting'] });
    try {
      const clients = await Promise.all(tenantIds.map((id) => db.tenant(id)));
      const rand = random(mode === 'rls' ? 7 : 11);
      const committed = new Map<string, number>();
      const problems: string[] = [];
      const failures = { injected: 0, sql: 0 };

      const checkRows = (tdb: TenantDb, rows: { tenantId: string }[], what: string) => {
        for (const r of rows) if (r.tenantId !== tdb.tenantId) problems.push(`${what}: read ${r.tenantId} as ${tdb.tenantId}`);
      };
      const checkStable = async (tdb: TenantDb, reader: TenantDb, what: string) => {
        const [result] = await reader.select({ n: count() }).from(table).where(like(label, 'stable %'));
        const expected = stableRows(tenantIds.indexOf(tdb.tenantId));
        // With another tenant's context, RLS would hide this tenant's rows: the count would be wrong.
        if (result!.n !== expected) problems.push(`${what}: ${result!.n} stable rows for ${tdb.tenantId}, expected ${expected}`);
      };

      const operation = async (i: number) => {
        const tdb = clients[Math.floor(rand() * clients.length)]!;
        const kind = Math.floor(rand() * 4);
        const delay = Math.floor(rand() * 3);
        const fail = rand();
        try {
          if (kind === 0) {
            checkRows(tdb, await tdb.select().from(table), 'read');
            await checkStable(tdb, tdb, 'read');
          } else if (kind === 1) {
            await tdb.transaction(async (tx) => {
              const [setting] = await tx.execute<{ t: string }>(sql`select split_part(current_setting('app.tenant_context'), '.', 3) as t`);
              if (setting!.t !== tdb.tenantId) problems.push(`tx ${i}: context ${setting!.t} for ${tdb.tenantId}`);
              await sleep(delay);
              checkRows(tdb, await tx.select().from(table), 'tx read');
              await checkStable(tdb, tx, 'tx read');
              if (fail < 0.2) {
                failures.injected++;
                throw new Error('injected');
              }
            });
          } else if (kind === 2) {
            await tdb.transaction(async (tx) => {
              await tx.insert(table).values(row(`marker ${i}`) as never);
              await sleep(delay);
              if (fail < 0.25) {
                failures.injected++;
                throw new Error('injected');
              }
              if (fail < 0.5) {
                failures.sql++;
                await tx.execute(sql`select 1 / 0`);
              }
            });
            committed.set(tdb.tenantId, (committed.get(tdb.tenantId) ?? 0) + 1);
          } else {
            // A statement that fails on its own, outside any transaction of ours.
            if (fail < 0.3) {
              failures.sql++;
              await tdb.execute(sql`select 1 / 0`);
            }
            const rows = await tdb.execute<{ tenant_id: string }>(sql`select tenant_id from ${table} where tenant_id = ${tdb.tenantId}`);
            checkRows(tdb, rows.map((r) => ({ tenantId: r.tenant_id })), 'raw read');
          }
        } catch (error) {
          const expected = error instanceof Error && (error.message === 'injected' || (error as { code?: string }).code === '22012');
          if (!expected) problems.push(`op ${i}: unexpected ${String(error)}`);
        }
      };

      await Promise.all(Array.from({ length: OPERATIONS }, (_, i) => operation(i)));

      expect(problems).toEqual([]);
      expect(failures.injected + failures.sql).toBeGreaterThan(OPERATIONS / 10);
      // Rolled back writes left nothing; committed ones are all there, each in its own tenant.
      for (const tdb of clients) {
        const [markers] = await tdb.select({ n: count() }).from(table).where(and(like(label, 'marker %')));
        expect(markers!.n, tdb.tenantId).toBe(committed.get(tdb.tenantId) ?? 0);
      }
      const pool = db[internals].placements.get('shared')!.scoped.request;
      const conns = await Promise.all(Array.from({ length: POOL }, () => pool.reserve()));
      try {
        for (const conn of conns) {
          const { rows } = await conn.run([{ text: "select current_setting('app.tenant_context', true) as t", values: [], result: 'object' }]);
          expect((rows[0] as { t: string | null }).t ?? '').toBe('');
          // Not left inside a transaction either: SAVEPOINT outside one fails with 25P01.
          const savepoint = await conn.run([{ text: 'savepoint probe', values: [] }]).then(
            () => 'inside a transaction',
            (e: { code?: string }) => e.code,
          );
          expect(savepoint).toBe('25P01');
        }
      } finally {
        for (const conn of conns) pool.release(conn);
      }
    } finally {
      await db.close();
    }
  }, 120_000);
});

it('the markers of one mode are not visible to another tenant', async () => {
  const db = createDatabase({ url: seeded.testDb.urls.app, mode: 'app', poolSize: 2 });
  try {
    const tdb = await db.tenant(tenantIds[0]!);
    const rows = await tdb.select().from(lessonPlans).where(eq(lessonPlans.subject, 'pool'));
    expect(rows.every((r) => r.tenantId === tenantIds[0])).toBe(true);
  } finally {
    await db.close();
  }
});
