/**
 * Every way drizzle's pg builders can build a statement, through the scoped client: each is
 * either scoped to the tenant (the filter is in the SQL, and the rows are the tenant's) or
 * refused with TenantScopeError, never run with another meaning. And the caller gets errors as
 * thrown (the guard's, Postgres's), not wrapped in DrizzleQueryError.
 */
import { types } from 'node:util';
import { customers, invoices } from '@studio/db-schema/schema';
import { and, desc, DrizzleQueryError, eq, sql } from 'drizzle-orm';
import { except, exceptAll, intersect, intersectAll, QueryBuilder, union, unionAll } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, TenantScopeError, type Database, type TenantDb } from '../src/index';
import { seededDatabase, type SeededDatabase } from './helpers';

let seeded: SeededDatabase;
let db: Database;
let acme: TenantDb;
/** Acme's customer ids, and the customer id of each of its invoices, as the superuser reads them. */
let acmeCustomers: string[];
let acmeInvoiceCustomers: string[];

beforeAll(async () => {
  seeded = await seededDatabase();
  db = createDatabase({ url: seeded.testDb.urls.app, tenantCache: { listen: false } });
  acme = await db.tenant(seeded.ids.acme);
  acmeCustomers = (await seeded.su<{ id: string }[]>`select id from customers where tenant_id = ${seeded.ids.acme}`).map((r) => r.id);
  acmeInvoiceCustomers = (await seeded.su<{ id: string }[]>`select customer_id as id from invoices where tenant_id = ${seeded.ids.acme}`).map((r) => r.id);
});
afterAll(async () => {
  await db?.close();
  await seeded?.close();
});

async function failure(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

/** A filter on `table`'s tenant_id bound to acme, in the statement's text and parameters. */
function expectFilter(query: { sql: string; params: unknown[] }, table: string) {
  const match = new RegExp(`"${table}"\\."tenant_id" = \\$(\\d+)`).exec(query.sql);
  expect(match, `${table} filter in ${query.sql}`).not.toBeNull();
  expect(query.params[Number(match![1]) - 1]).toBe(seeded.ids.acme);
}

const sorted = (ids: string[]) => [...ids].sort();

describe('builders are drizzle’s own objects', () => {
  it('wraps no builder in a Proxy', () => {
    for (const builder of [
      acme.select(),
      acme.select().from(customers),
      acme.select().from(customers).where(eq(customers.name, 'x')).$dynamic(),
      acme.insert(customers),
      acme.insert(customers).values({ name: 'x' }),
      acme.update(customers),
      acme.update(customers).set({ name: 'x' }),
      acme.delete(customers),
      acme.query.customers,
      acme.query.customers.findMany(),
    ]) {
      expect(types.isProxy(builder)).toBe(false);
    }
  });
});

describe('select joins', () => {
  it('innerJoin and leftJoin: the joined table’s filter is in its ON', async () => {
    for (const kind of ['innerJoin', 'leftJoin'] as const) {
      const query = acme.select({ customer: customers.id, invoice: invoices.id }).from(customers)[kind](invoices, eq(invoices.customerId, customers.id));
      const text = query.toSQL();
      expect(text.sql).toMatch(/ join "invoices" on \("invoices"\."tenant_id" = \$\d+ and /);
      expectFilter(text, 'customers');
      expectFilter(text, 'invoices');
      const rows = await query;
      expect(rows.every((r) => acmeCustomers.includes(r.customer))).toBe(true);
    }
    // The left join keeps acme's customers without invoices (its filter in ON, not WHERE).
    const left = await acme.select({ customer: customers.id }).from(customers).leftJoin(invoices, eq(invoices.customerId, customers.id));
    expect(new Set(left.map((r) => r.customer))).toEqual(new Set(acmeCustomers));
  });

  it('crossJoin: the joined table’s filter is in WHERE', async () => {
    const query = acme.select({ customer: customers.id, invoice: invoices.id }).from(customers).crossJoin(invoices);
    const text = query.toSQL();
    expect(text.sql).toMatch(/ where \("customers"\."tenant_id" = \$\d+ and "invoices"\."tenant_id" = \$\d+\)/);
    expect(await query).toHaveLength(acmeCustomers.length * acmeInvoiceCustomers.length);
  });

  it('rightJoin and fullJoin with a tenant table on either side: refused, before anything is sent', async () => {
    const attempts = {
      rightJoin: [
        () => acme.select().from(invoices).rightJoin(customers, eq(invoices.customerId, customers.id)),
        () => acme.select().from(customers).rightJoin(sql`(select 1 as one) as one`, sql`true`),
        () => acme.select().from(sql`(select 1 as one) as one`).rightJoin(customers, sql`true`),
      ],
      fullJoin: [
        () => acme.select().from(invoices).fullJoin(customers, eq(invoices.customerId, customers.id)),
        () => acme.select().from(sql`(select 1 as one) as one`).fullJoin(customers, sql`true`),
      ],
    };
    for (const [method, builds] of Object.entries(attempts)) {
      for (const build of builds) {
        const error = await failure(build);
        expect(error).toBeInstanceOf(TenantScopeError);
        expect(error).toMatchObject({ reason: 'join' });
        expect((error as Error).message).toContain(`${method}()`);
        expect(() => build().toSQL()).toThrow(TenantScopeError);
      }
    }
  });

  it('innerJoinLateral, leftJoinLateral, crossJoinLateral of a tenant table: refused, naming the method', async () => {
    const attempts = {
      innerJoinLateral: () => acme.select().from(customers).innerJoinLateral(invoices as never, sql`true`),
      leftJoinLateral: () => acme.select().from(customers).leftJoinLateral(invoices as never, sql`true`),
      crossJoinLateral: () => acme.select().from(customers).crossJoinLateral(invoices as never),
    };
    for (const [method, build] of Object.entries(attempts)) {
      const error = await failure(build);
      expect(error, method).toBeInstanceOf(TenantScopeError);
      expect(error, method).toMatchObject({ reason: 'join', table: 'invoices' });
      expect((error as Error).message).toContain(`${method}()`);
    }
  });

  it('a lateral subquery built with the client carries its own filter, and runs', async () => {
    const latest = acme
      .select({ number: invoices.number })
      .from(invoices)
      .where(eq(invoices.customerId, customers.id))
      .orderBy(desc(invoices.number))
      .limit(1)
      .as('latest');
    const query = acme.select({ customer: customers.id, latest: latest.number }).from(customers).leftJoinLateral(latest, sql`true`);
    expectFilter(query.toSQL(), 'invoices');
    const rows = await query;
    expect(sorted(rows.map((r) => r.customer))).toEqual(sorted(acmeCustomers));
    const cross = await acme.select({ customer: customers.id }).from(customers).crossJoinLateral(latest);
    expect(new Set(cross.map((r) => r.customer))).toEqual(new Set(acmeInvoiceCustomers));
  });

  it('a lateral subquery built elsewhere, unscoped: refused by the guard', async () => {
    const unscoped = new QueryBuilder().select({ number: invoices.number }).from(invoices).where(eq(invoices.customerId, customers.id)).as('latest');
    for (const build of [
      () => acme.select().from(customers).leftJoinLateral(unscoped, sql`true`),
      () => acme.select().from(customers).innerJoinLateral(unscoped, sql`true`),
      () => acme.select().from(customers).crossJoinLateral(unscoped),
    ]) {
      expect(await failure(build)).toMatchObject({ code: 'TENANT_SCOPE', reason: 'unscoped', table: 'invoices' });
    }
  });

  it('$dynamic(): the same builder, scoped and refused alike', async () => {
    const query = acme.select({ customer: customers.id, invoice: invoices.id }).from(customers).$dynamic();
    query.leftJoin(invoices, eq(invoices.customerId, customers.id)).where(eq(customers.name, 'nobody'));
    const text = query.toSQL();
    expectFilter(text, 'customers');
    expectFilter(text, 'invoices');
    expect(await query).toEqual([]);
    const outer = acme.select().from(customers).$dynamic();
    outer.rightJoin(invoices, eq(invoices.customerId, customers.id));
    expect(await failure(() => outer)).toMatchObject({ reason: 'join' });
  });

  it('subqueries in FROM and WHERE are scoped where they are built', async () => {
    const sq = acme.select({ id: customers.id }).from(customers).as('sq');
    expect(sorted((await acme.select().from(sq)).map((r) => r.id))).toEqual(sorted(acmeCustomers));
    const inWhere = acme.select({ id: invoices.id }).from(invoices).where(sql`${invoices.customerId} in ${acme.select({ id: customers.id }).from(customers)}`);
    const text = inWhere.toSQL();
    expect(text.sql.match(/"tenant_id" = \$/g)).toHaveLength(2);
    expect(await inWhere).toHaveLength(acmeInvoiceCustomers.length);
  });

  it('$with and with(): a CTE built with the client is scoped; one built by drizzle’s own query builder is refused', async () => {
    const cte = acme.$with('mine').as(acme.select({ id: customers.id }).from(customers));
    expect(sorted((await acme.with(cte).select().from(cte)).map((r) => r.id))).toEqual(sorted(acmeCustomers));
    const unscoped = acme.$with('all_customers').as((qb) => qb.select({ id: customers.id }).from(customers));
    expect(await failure(() => acme.with(unscoped).select().from(unscoped))).toMatchObject({ reason: 'unscoped', table: 'customers' });
  });
});

describe('set operators', () => {
  const ids = () => acme.select({ id: customers.id }).from(customers);
  const invoiceCustomers = () => acme.select({ id: invoices.customerId }).from(invoices);
  const distinct = (values: string[]) => [...new Set(values)];
  const expected = () => ({
    union: distinct([...acmeCustomers, ...acmeInvoiceCustomers]),
    unionAll: [...acmeCustomers, ...acmeInvoiceCustomers],
    intersect: distinct(acmeInvoiceCustomers),
    intersectAll: distinct(acmeInvoiceCustomers),
    except: acmeCustomers.filter((id) => !acmeInvoiceCustomers.includes(id)),
    exceptAll: acmeCustomers.filter((id) => !acmeInvoiceCustomers.includes(id)),
  });

  it('each operand built with the client is scoped: the methods', async () => {
    for (const [method, want] of Object.entries(expected())) {
      const query = ids()[method as 'union'](invoiceCustomers());
      expect(query.toSQL().sql.match(/"tenant_id" = \$/g), method).toHaveLength(2);
      expect(sorted((await query).map((r) => r.id)), method).toEqual(sorted(want));
    }
  });

  it('each operand built with the client is scoped: the functions', async () => {
    const functions = { union, unionAll, intersect, intersectAll, except, exceptAll };
    for (const [name, want] of Object.entries(expected())) {
      const rows = await functions[name as keyof typeof functions](ids(), invoiceCustomers());
      expect(sorted(rows.map((r) => r.id)), name).toEqual(sorted(want));
    }
  });

  it('an operand built elsewhere, unscoped: refused by the guard', async () => {
    const unscoped = new QueryBuilder().select({ id: customers.id }).from(customers);
    for (const build of [() => ids().union(unscoped), () => ids().except(unscoped), () => union(ids(), unscoped), () => ids().union(() => unscoped)]) {
      expect(await failure(build)).toMatchObject({ code: 'TENANT_SCOPE', reason: 'unscoped', table: 'customers' });
    }
  });
});

describe('writes', () => {
  it('update ... from: both tables filtered in WHERE; right and full joins refused', async () => {
    const query = acme
      .update(invoices)
      .set({ notes: 'from-update' })
      .from(customers)
      .where(and(eq(invoices.customerId, customers.id), eq(customers.email, 'nobody@example.test')));
    const text = query.toSQL();
    expectFilter(text, 'invoices');
    expectFilter(text, 'customers');
    await query;
    for (const method of ['rightJoin', 'fullJoin'] as const) {
      const joined = acme.update(invoices).set({ notes: 'x' }).from(customers)[method](sql`(select 1 as one) as one`, sql`true`);
      expect(await failure(() => joined), method).toMatchObject({ reason: 'join' });
    }
    const inner = acme.update(invoices).set({ notes: 'x' }).from(sql`(select 1 as one) as one`).innerJoin(customers, eq(customers.id, invoices.customerId));
    expect(inner.toSQL().sql).toMatch(/inner join "customers" on \("customers"\."tenant_id" = \$\d+ and /);
  });

  it('update: moving rows to another tenant is refused', () => {
    expect(() => acme.update(customers).set({ tenantId: seeded.ids.globex })).toThrow(TenantScopeError);
  });

  it('delete: filtered in WHERE', () => {
    expectFilter(acme.delete(customers).where(eq(customers.email, 'x')).toSQL(), 'customers');
  });

  it('insert: tenant_id filled; another tenant’s refused, in values and in ON CONFLICT DO UPDATE', async () => {
    const [row] = await acme.insert(customers).values({ name: 'Filled', email: 'filled@example.test' }).returning();
    expect(row!.tenantId).toBe(seeded.ids.acme);
    expect(() => acme.insert(customers).values([{ name: 'A' }, { name: 'B', tenantId: seeded.ids.globex }])).toThrow(TenantScopeError);
    const moved = await failure(() =>
      acme
        .insert(customers)
        .values({ name: 'Filled', email: 'filled@example.test' })
        .onConflictDoUpdate({ target: [customers.tenantId, customers.email], set: { tenantId: seeded.ids.globex } }),
    );
    expect(moved).toMatchObject({ code: 'TENANT_SCOPE', reason: 'unscoped' });
    await acme.delete(customers).where(eq(customers.id, row!.id));
  });
});

describe('relational queries', () => {
  it('findMany and findFirst: the filter joins the caller’s where', async () => {
    const all = await acme.query.customers.findMany();
    expect(sorted(all.map((c) => c.id))).toEqual(sorted(acmeCustomers));
    const some = await acme.query.customers.findMany({ where: (c, { eq }) => eq(c.id, acmeCustomers[0]!) });
    expect(some.map((c) => c.id)).toEqual([acmeCustomers[0]]);
    const [globexCustomer] = await seeded.su<{ id: string }[]>`select id from customers where tenant_id = ${seeded.ids.globex} limit 1`;
    expect(await acme.query.customers.findFirst({ where: eq(customers.id, globexCustomer!.id) })).toBeUndefined();
  });
});

describe('errors reach the caller unwrapped', () => {
  const invalidUuid = 'not-a-uuid';
  const postgresErrors: Record<string, () => PromiseLike<unknown>> = {
    select: () => acme.select().from(customers).where(eq(customers.id, invalidUuid)),
    'select, prepared': () => acme.select().from(customers).where(eq(customers.id, invalidUuid)).prepare('scoped_builders_prepared').execute(),
    insert: () => acme.insert(invoices).values({ customerId: invalidUuid, number: 'X', amountCents: 1 }),
    update: () => acme.update(customers).set({ name: 'x' }).where(eq(customers.id, invalidUuid)),
    delete: () => acme.delete(customers).where(eq(customers.id, invalidUuid)),
    findMany: () => acme.query.customers.findMany({ where: (c, { eq }) => eq(c.id, invalidUuid) }),
    findFirst: () => acme.query.customers.findFirst({ where: (c, { eq }) => eq(c.id, invalidUuid) }),
    execute: () => acme.execute(sql`select id from customers where tenant_id = ${acme.tenantId} and id = ${invalidUuid}`),
    transaction: () => acme.transaction((tx) => tx.select().from(customers).where(eq(customers.id, invalidUuid)).then(() => undefined)),
    audited: () => acme.audited({ action: 'customer.update' }).update(customers).set({ name: 'x' }).where(eq(customers.id, invalidUuid)),
  };

  it('Postgres’s error, with its code, from every kind of statement', async () => {
    for (const [kind, run] of Object.entries(postgresErrors)) {
      const error = await failure(run);
      expect(error, kind).not.toBeInstanceOf(DrizzleQueryError);
      expect(error, kind).toMatchObject({ code: '22P02' });
    }
  });

  it('through then, catch and finally too', async () => {
    const query = () => acme.select().from(customers).where(eq(customers.id, invalidUuid));
    const caught = [
      await query().then(undefined, (e: unknown) => e),
      await query().catch((e: unknown) => e),
      await failure(() => query().finally(() => undefined)),
    ];
    for (const error of caught) {
      expect(error).not.toBeInstanceOf(DrizzleQueryError);
      expect(error).toMatchObject({ code: '22P02' });
    }
  });

  it('the guard’s TenantScopeError', async () => {
    const error = await failure(() => acme.select({ slept: sql`pg_sleep(0)` }).from(customers));
    expect(error).toBeInstanceOf(TenantScopeError);
    expect(error).toMatchObject({ reason: 'function' });
  });
});
