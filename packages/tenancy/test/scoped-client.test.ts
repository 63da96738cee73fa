import { customers, invoices, lessonPlans, tenants } from '@studio/db-schema/schema';
import { and, count, desc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, InvalidTenantIdError, TenantNotFoundError, TenantReadOnlyError, TenantScopeError, TenantSuspendedError, TenantTransactionError, type Database, type TenantDb } from '../src/index';
import { internals } from '../src/internal/symbols';
import { seededDatabase, type SeededDatabase } from './helpers';

let seeded: SeededDatabase;
beforeAll(async () => {
  seeded = await seededDatabase();
});
afterAll(async () => {
  await seeded?.close();
});

/** Records every statement the database's pools send: postgres.js's debug hook, and every operation the scoped pools write. */
function recordSent(db: Database): string[] {
  const sent: string[] = [];
  for (const p of db[internals].placements.values()) {
    for (const pool of [p.request, p.background]) {
      (pool.options as unknown as { debug: unknown }).debug = (_conn: number, query: string) => sent.push(query);
    }
    for (const pool of [p.scoped.request, p.scoped.background]) {
      const shared = pool.shared.bind(pool);
      const reserve = pool.reserve.bind(pool);
      pool.shared = (write) =>
        shared((conn) => {
          sent.push('scoped operation');
          return write(conn);
        });
      pool.reserve = () => {
        sent.push('scoped transaction');
        return reserve();
      };
    }
  }
  return sent;
}

// The same isolation suite in both enforcement modes: the invoices product's tables under RLS,
// the lessons product's table under the guard alone.
const suites = [
  {
    mode: 'rls' as const,
    table: customers,
    name: 'customers',
    demoCount: { acme: 12, globex: 8 },
    row: (n: string) => ({ name: `Customer ${n}`, email: `${n}@example.test` }),
  },
  {
    mode: 'app' as const,
    table: lessonPlans,
    name: 'lesson_plans',
    demoCount: { acme: 6, globex: 4 },
    row: (n: string) => ({ title: `Lesson ${n}`, subject: 'maths' }),
  },
];

describe.each(suites)('isolation in $mode mode ($name)', ({ mode, table, name, demoCount, row }) => {
  let db: Database;
  let acme: TenantDb;
  let globex: TenantDb;

  beforeAll(async () => {
    db = createDatabase({ url: seeded.testDb.urls.app, mode, poolSize: 3 });
    acme = await db.tenant(seeded.ids.acme);
    globex = await db.tenant(seeded.ids.globex);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('reads only the context tenant’s rows, without the developer writing the filter', async () => {
    const rows = await acme.select().from(table);
    expect(rows).toHaveLength(demoCount.acme);
    expect(new Set(rows.map((r) => r.tenantId))).toEqual(new Set([seeded.ids.acme]));
    const [result] = await globex.select({ n: count() }).from(table);
    expect(result!.n).toBe(demoCount.globex);
  });

  it('keeps the filter when the developer adds their own where, order and limit', async () => {
    const rows = await acme.select().from(table).where(sql`true`).orderBy(desc(table.createdAt)).limit(3);
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.tenantId === seeded.ids.acme)).toBe(true);
  });

  it('scopes relational queries', async () => {
    // The two tables' query builders have different types; both take the same config here.
    const builder = (tdb: TenantDb) => (name === 'customers' ? tdb.query.customers : tdb.query.lessonPlans) as unknown as typeof tdb.query.customers;
    const rows = await builder(acme).findMany({ limit: 100 });
    expect(rows).toHaveLength(demoCount.acme);
    expect(rows.every((r) => r.tenantId === seeded.ids.acme)).toBe(true);
    const first = await builder(globex).findFirst({ where: (t, { eq: equals }) => equals(t.tenantId, seeded.ids.acme) });
    expect(first).toBeUndefined();
  });

  it('fills tenant_id on insert, and the row stays in its tenant', async () => {
    const [created] = await acme.insert(table).values(row(`ins-${mode}`) as never).returning();
    expect(created!.tenantId).toBe(seeded.ids.acme);
    expect(await globex.select().from(table).where(eq(table.id, created!.id))).toHaveLength(0);
    await acme.delete(table).where(eq(table.id, created!.id));
  });

  it('refuses an insert that names another tenant, before sending anything', async () => {
    const sent = recordSent(db);
    await expect(async () => acme.insert(table).values({ ...row('x'), tenantId: seeded.ids.globex } as never)).rejects.toThrow(TenantScopeError);
    expect(sent).toEqual([]);
  });

  it('updates and deletes only the context tenant’s rows', async () => {
    const [created] = await globex.insert(table).values(row(`upd-${mode}`) as never).returning();
    const before = await acme.select({ n: count() }).from(table);
    // No where at all: the scoped client still limits both to acme's rows.
    const updated = await acme.update(table).set({ updatedAt: new Date() } as never).returning({ tenantId: table.tenantId });
    expect(updated.every((r) => r.tenantId === seeded.ids.acme)).toBe(true);
    expect(updated).toHaveLength(before[0]!.n);
    const deleted = await acme.delete(table).where(eq(table.id, created!.id)).returning();
    expect(deleted).toHaveLength(0);
    expect(await globex.select().from(table).where(eq(table.id, created!.id))).toHaveLength(1);
    await globex.delete(table).where(eq(table.id, created!.id));
  });

  it('refuses raw SQL on a tenant table without the filter, and sends nothing', async () => {
    const sent = recordSent(db);
    await expect(acme.execute(sql`select * from ${table}`)).rejects.toThrow(TenantScopeError);
    await expect(acme.execute(sql`delete from ${table} where ${table.id} is not null`)).rejects.toThrow(/tenant_id = <current tenant>/);
    await expect(acme.execute(sql`select * from ${table} where tenant_id = ${seeded.ids.globex}`)).rejects.toThrow(seeded.ids.globex);
    expect(sent).toEqual([]);
    const rows = await acme.execute<{ tenant_id: string }>(sql`select tenant_id from ${table} where tenant_id = ${acme.tenantId}`);
    expect(rows).toHaveLength(demoCount.acme);
    // The control: what is allowed is recorded.
    expect(sent).toContain('scoped operation');
  });

  it('rolls back a failed transaction entirely and rethrows the original error', async () => {
    const boom = new Error('boom');
    const label = `tx-${mode}`;
    await expect(
      acme.transaction(async (tx) => {
        await tx.insert(table).values(row(label) as never);
        expect(await tx.select().from(table)).toHaveLength(demoCount.acme + 1);
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await acme.select().from(table)).toHaveLength(demoCount.acme);
  });
});

describe('the scoped client', () => {
  let db: Database;
  let acme: TenantDb;
  beforeAll(async () => {
    // current_setting: to look at the transaction's read-only mode (the guard refuses it to products).
    db = createDatabase({ url: seeded.testDb.urls.app, allowFunctions: ['current_setting'] });
    acme = await db.tenant(seeded.ids.acme);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('adds the tenant filter to both sides of a join', async () => {
    const rows = await acme
      .select({ number: invoices.number, customer: customers.name, tenant: customers.tenantId })
      .from(invoices)
      .innerJoin(customers, eq(customers.id, invoices.customerId))
      .orderBy(invoices.number);
    expect(rows).toHaveLength(40);
    expect(rows.every((r) => r.tenant === seeded.ids.acme)).toBe(true);
    const left = await acme.select().from(customers).leftJoin(invoices, eq(invoices.customerId, customers.id));
    expect(left.every((r) => r.customers.tenantId === seeded.ids.acme && (r.invoices === null || r.invoices.tenantId === seeded.ids.acme))).toBe(true);
  });

  it('reads platform tables without a filter', async () => {
    const rows = await acme.select({ slug: tenants.slug }).from(tenants);
    expect(rows.map((r) => r.slug).sort()).toEqual(['acme', 'globex', 'initech']);
  });

  it('commits a transaction’s statements together', async () => {
    const result = await acme.transaction(async (tx) => {
      const [c] = await tx.insert(customers).values({ name: 'Tx Customer', email: 'tx@example.test' }).returning();
      await tx.insert(invoices).values({ customerId: c!.id, number: 'TX-1', amountCents: 500 });
      return c!.id;
    });
    const rows = await acme.select().from(invoices).where(eq(invoices.customerId, result));
    expect(rows.map((r) => r.number)).toEqual(['TX-1']);
    await acme.transaction(async (tx) => {
      await tx.delete(invoices).where(eq(invoices.customerId, result));
      await tx.delete(customers).where(eq(customers.id, result));
    });
  });

  it('rolls back when a statement fails mid-transaction, and the caller gets the database error', async () => {
    const error = await acme
      .transaction(async (tx) => {
        await tx.insert(customers).values({ name: 'Doomed', email: 'doomed@example.test' });
        await tx.insert(customers).values({ name: 'Dup', email: 'doomed@example.test' });
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: '23505' });
    expect(await acme.select().from(customers).where(eq(customers.email, 'doomed@example.test'))).toHaveLength(0);
  });

  it('does not report a commit when a failed statement was caught inside the transaction', async () => {
    const error = await acme
      .transaction(async (tx) => {
        await tx.insert(customers).values({ name: 'Kept?', email: 'kept@example.test' });
        await tx.execute(sql`select 1/0`).catch(() => {});
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TenantTransactionError);
    expect(await acme.select().from(customers).where(eq(customers.email, 'kept@example.test'))).toHaveLength(0);
  });

  it('makes a nested transaction a savepoint', async () => {
    await acme.transaction(async (tx) => {
      await tx.insert(customers).values({ name: 'Outer', email: 'outer@example.test' });
      await expect(
        tx.transaction(async (inner) => {
          await inner.insert(customers).values({ name: 'Inner', email: 'inner@example.test' });
          throw new Error('inner fails');
        }),
      ).rejects.toThrow('inner fails');
    });
    const emails = (await acme.select({ email: customers.email }).from(customers).where(sql`${customers.email} in ('outer@example.test', 'inner@example.test')`)).map((r) => r.email);
    expect(emails).toEqual(['outer@example.test']);
    await acme.delete(customers).where(eq(customers.email, 'outer@example.test'));
  });

  it('refuses a transaction handle used after its transaction ended', async () => {
    let leaked: TenantDb | undefined;
    await acme.transaction(async (tx) => {
      leaked = tx;
    });
    await expect(leaked!.select().from(customers)).rejects.toThrow(TenantTransactionError);
  });

  it('validates tenant ids and refuses unknown and suspended tenants with typed errors', async () => {
    await expect(db.tenant('acme')).rejects.toBeInstanceOf(InvalidTenantIdError);
    await expect(db.tenant("x' or 1=1 --")).rejects.toMatchObject({ code: 'TENANT_ID_INVALID' });
    await expect(db.tenant('00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(TenantNotFoundError);
    await seeded.owner`update tenants set status = 'suspended', status_reason = 'unpaid' where id = ${seeded.ids.initech}`;
    try {
      db.forgetTenant(seeded.ids.initech);
      const error = await db.tenant(seeded.ids.initech).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TenantSuspendedError);
      expect((error as Error).message).toContain('unpaid');
    } finally {
      await seeded.owner`update tenants set status = 'active', status_reason = null where id = ${seeded.ids.initech}`;
      db.forgetTenant(seeded.ids.initech);
    }
  });

  it('lets a read-only tenant read, and refuses its writes before sending them', async () => {
    await seeded.owner`update tenants set status = 'read_only' where id = ${seeded.ids.initech}`;
    try {
      db.forgetTenant(seeded.ids.initech);
      const initech = await db.tenant(seeded.ids.initech);
      expect(await initech.select().from(invoices)).toHaveLength(12);
      await expect(initech.insert(customers).values({ name: 'No' })).rejects.toBeInstanceOf(TenantReadOnlyError);
      await expect(initech.delete(invoices)).rejects.toMatchObject({ code: 'TENANT_READ_ONLY' });
      // Postgres enforces it too: the transaction is READ ONLY.
      const [mode] = await initech.execute<{ ro: string }>(sql`select current_setting('transaction_read_only') as ro`);
      expect(mode!.ro).toBe('on');
    } finally {
      await seeded.owner`update tenants set status = 'active' where id = ${seeded.ids.initech}`;
      db.forgetTenant(seeded.ids.initech);
    }
  });

  it('refuses an update that moves rows to another tenant', async () => {
    expect(() => acme.update(customers).set({ tenantId: seeded.ids.globex }).where(and(eq(customers.email, 'nobody')))).toThrow(TenantScopeError);
  });

  it('leaves no tenant context on pooled connections', async () => {
    await Promise.all(Array.from({ length: 20 }, () => acme.select().from(invoices).limit(1)));
    const pool = db[internals].placements.get('shared')!.scoped.request;
    expect(pool.connections.length).toBeGreaterThan(1);
    const conns = await Promise.all(Array.from({ length: 10 }, () => pool.reserve()));
    try {
      for (const conn of conns) {
        const { rows } = await conn.run([{ text: "select current_setting('app.tenant_context', true) as value", values: [], result: 'object' }]);
        expect((rows[0] as { value: string | null }).value ?? '').toBe('');
      }
    } finally {
      for (const conn of conns) pool.release(conn);
    }
  });
});
