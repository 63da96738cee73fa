/**
 * A select built per call reuses the text of the first select of its shape (scoped/shapes.ts).
 * What would break it: two shapes that render differently sharing a kept text, or this call's
 * values put in the wrong places. So every query here is compared with what drizzle itself
 * builds for it (a QueryBuilder of drizzle's own dialect, with the tenant filter written by
 * hand): hundreds of random shapes, each built with several sets of values after its text was
 * kept, and pairs chosen to differ by one token. Then real reads through the kept text.
 */
import { customers, invoices } from '@studio/db-schema/schema';
import {
  and,
  asc,
  between,
  desc,
  eq,
  getTableColumns,
  gt,
  gte,
  inArray,
  isNotNull,
  isNull,
  like,
  lt,
  lte,
  ne,
  not,
  notInArray,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import { customType, PgDialect, pgTable, QueryBuilder, text, uuid } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database, type TenantDb } from '../src/index';
import { selects } from '../src/scoped/session';
import { SelectShapes } from '../src/scoped/shapes';
import { seededDatabase, type SeededDatabase } from './helpers';
import { seededRandom } from '@studio/db-schema/seed';

let seeded: SeededDatabase;
let db: Database;
let acme: TenantDb;
let acmeId: string;

beforeAll(async () => {
  seeded = await seededDatabase();
  db = createDatabase({ url: seeded.testDb.urls.app, tenantCache: { listen: false } });
  acmeId = seeded.ids.acme;
  acme = await db.tenant(acmeId);
});
afterAll(async () => {
  await db?.close();
  await seeded?.close();
});

const oracle = new QueryBuilder();
type Built = { toSQL(): { sql: string; params: unknown[] } };
type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- drizzle's builder chain, the same calls on both sides

/**
 * One select, the same on the scoped client and on drizzle's own builder (where the tenant
 * filter is written by hand, as the scoped builder adds it): its shape from `shapeSeed`, its
 * values from `valueSeed`.
 */
function randomSelect(shapeSeed: number, valueSeed: number): { scoped: Built; expected: Built } {
  const shape = seededRandom(shapeSeed);
  const value = seededRandom(valueSeed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(shape() * items.length)]!;
  const uuidValue = () => `${Math.floor(value() * 0xffffffff).toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;
  const intValue = () => Math.floor(value() * 100000) - 100;
  const textValue = () => `INV-${Math.floor(value() * 1000)}`;
  const dateValue = () => new Date(Date.UTC(2026, 0, 1) + Math.floor(value() * 1e10));
  const count = () => 1 + Math.floor(shape() * 3);
  const columns = [
    { column: invoices.id, value: uuidValue },
    { column: invoices.customerId, value: uuidValue },
    { column: invoices.number, value: textValue },
    { column: invoices.amountCents, value: intValue },
    { column: invoices.createdAt, value: dateValue },
    { column: invoices.status, value: () => (['draft', 'sent', 'paid', 'void'] as const)[Math.floor(value() * 4)]! },
  ];
  const condition = (depth: number): SQL => {
    const { column, value: v } = pick(columns) as { column: Any; value: () => Any };
    const kind = Math.floor(shape() * (depth > 1 ? 14 : 17));
    switch (kind) {
      case 0: return eq(column, v());
      case 1: return ne(column, v());
      case 2: return gt(column, v());
      case 3: return lt(column, v());
      case 4: return gte(column, v());
      case 5: return lte(column, v());
      case 6: return inArray(column, Array.from({ length: count() }, v));
      case 7: return notInArray(column, Array.from({ length: count() }, v));
      case 8: return isNull(column);
      case 9: return isNotNull(column);
      case 10: return like(invoices.number, `%${textValue()}%`);
      case 11: return between(invoices.amountCents, intValue(), intValue());
      case 12: return sql`${invoices.amountCents} + ${intValue()} > ${intValue()}`;
      case 13: return sql`lower(${invoices.number}) <> ${textValue()}`;
      case 14: return and(condition(depth + 1), condition(depth + 1))!;
      case 15: return or(condition(depth + 1), condition(depth + 1), ...(shape() < 0.5 ? [condition(depth + 1)] : []))!;
      default: return not(condition(depth + 1));
    }
  };
  const fieldsKind = Math.floor(shape() * 4);
  const someColumns = () => {
    const chosen = columns.filter(() => shape() < 0.6);
    if (shape() < 0.5) chosen.reverse();
    return Object.fromEntries((chosen.length ? chosen : columns.slice(0, 1)).map(({ column }) => [column.name, column]));
  };
  const fields =
    fieldsKind === 0 ? undefined
    : fieldsKind === 1 ? someColumns()
    : fieldsKind === 2 ? getAll()
    : { ...someColumns(), twice: sql<number>`${invoices.amountCents} * 2` };
  const where = shape() < 0.85 ? condition(0) : undefined;
  const order = Array.from({ length: Math.floor(shape() * 3) }, () => {
    const { column } = pick(columns);
    return pick([column, asc(column), desc(column)]);
  });
  const limitKind = Math.floor(shape() * 5);
  const limit = [undefined, Math.floor(value() * 100), -1, sql.placeholder('limit'), 0][limitKind];
  const offsetKind = Math.floor(shape() * 4);
  const offset = [undefined, 1 + Math.floor(value() * 100), 0, sql.placeholder('offset')][offsetKind];

  const chain = (select: Any, tenantFilter: (where: SQL | undefined) => SQL | undefined) => {
    let query = select.where(tenantFilter(where));
    if (order.length) query = query.orderBy(...order);
    if (limit !== undefined) query = query.limit(limit);
    if (offset !== undefined) query = query.offset(offset);
    return query as Built;
  };
  return {
    scoped: chain(fields ? acme.select(fields as never).from(invoices) : acme.select().from(invoices), (w) => w),
    expected: chain(fields ? oracle.select(fields as never).from(invoices) : oracle.select().from(invoices), (w) => and(eq(invoices.tenantId, acmeId), w)),
  };
}

/** Every column in the table's own order, given as fields: the same text as select(). */
function getAll() {
  return { ...getTableColumns(invoices) };
}

describe('a select built per call', () => {
  it('has drizzle’s own text and parameters, for 400 random shapes each built with four sets of values', () => {
    for (let shapeSeed = 1; shapeSeed <= 400; shapeSeed++) {
      for (let valueSeed = 1; valueSeed <= 4; valueSeed++) {
        const { scoped, expected } = randomSelect(shapeSeed, shapeSeed * 1000 + valueSeed);
        expect(scoped.toSQL(), `shape ${shapeSeed}, values ${valueSeed}`).toEqual(expected.toSQL());
      }
    }
  });

  it('keeps the text of a shape once, whatever its values', () => {
    const read = (id: string) => acme.select().from(customers).where(and(eq(customers.id, id), ne(customers.name, 'x'))).toSQL();
    read('00000000-0000-4000-8000-000000000001');
    const before = selects.size;
    const second = read('00000000-0000-4000-8000-000000000002');
    read('00000000-0000-4000-8000-000000000003');
    expect(selects.size).toBe(before);
    expect(second.params).toEqual([acmeId, '00000000-0000-4000-8000-000000000002', 'x']);
  });

  it('tells apart shapes that differ by one token', () => {
    const id = '00000000-0000-4000-8000-000000000009';
    const pairs: [(q: Any, f: (w?: SQL) => SQL | undefined) => Built, string][] = [
      [(q, f) => q.select().from(invoices).where(f(eq(invoices.id, id))), 'eq'],
      [(q, f) => q.select().from(invoices).where(f(ne(invoices.id, id))), 'ne'],
      [(q, f) => q.select().from(invoices).where(f(eq(invoices.customerId, id))), 'another column'],
      [(q, f) => q.select().from(invoices).where(f(undefined)), 'no where'],
      [(q, f) => q.select().from(invoices).where(f(undefined)).limit(5), 'a limit'],
      [(q, f) => q.select().from(invoices).where(f(undefined)).limit(-1), 'a negative limit (none written)'],
      [(q, f) => q.select().from(invoices).where(f(undefined)).limit(sql.placeholder('n')), 'a placeholder limit'],
      [(q, f) => q.select().from(invoices).where(f(undefined)).offset(0), 'offset 0 (none written)'],
      [(q, f) => q.select().from(invoices).where(f(undefined)).offset(3), 'an offset'],
      [(q, f) => q.select().from(invoices).where(f(undefined)).orderBy(asc(invoices.createdAt)), 'ascending'],
      [(q, f) => q.select().from(invoices).where(f(undefined)).orderBy(desc(invoices.createdAt)), 'descending'],
      [(q, f) => q.select().from(invoices).where(f(inArray(invoices.id, [id, id]))), 'two in a list'],
      [(q, f) => q.select().from(invoices).where(f(inArray(invoices.id, [id]))), 'one in a list'],
      [(q, f) => q.select().from(invoices).where(f(sql`${invoices.number} = ${'a'}`)), 'literal SQL'],
      [(q, f) => q.select().from(invoices).where(f(sql`${invoices.number} <> ${'a'}`)), 'other literal SQL'],
      [(q, f) => q.select().from(invoices).where(f(or(eq(invoices.id, id), and(eq(invoices.id, id), eq(invoices.id, id))))), 'nesting a'],
      [(q, f) => q.select().from(invoices).where(f(or(and(eq(invoices.id, id), eq(invoices.id, id)), eq(invoices.id, id)))), 'nesting b'],
      [(q, f) => q.select({ id: invoices.id, number: invoices.number }).from(invoices).where(f(undefined)), 'two columns'],
      [(q, f) => q.select({ number: invoices.number, id: invoices.id }).from(invoices).where(f(undefined)), 'the same two, swapped'],
      [(q, f) => q.select({ id: invoices.number, number: invoices.id }).from(invoices).where(f(undefined)), 'the same names, other columns'],
      [(q, f) => q.select(Object.fromEntries(Object.entries(getAll()).reverse())).from(invoices).where(f(undefined)), 'every column, in reverse'],
      [(q, f) => q.select().from(customers).where(f(undefined)), 'another table'],
    ];
    for (let round = 0; round < 3; round++) {
      for (const [build, what] of pairs) {
        const table = what === 'another table' ? customers : invoices;
        const scoped = build(acme, (w) => w).toSQL();
        const expected = build(oracle, (w) => and(eq(table.tenantId, acmeId), w)).toSQL();
        expect(scoped, what).toEqual(expected);
      }
    }
  });

  it('builds joins with each table’s filter, as drizzle would write it by hand', () => {
    const join = (q: Any, f: (t: typeof invoices | typeof customers) => SQL | undefined, name: string) =>
      q
        .select({ number: invoices.number, customer: customers.name })
        .from(invoices)
        .innerJoin(customers, and(f(customers), eq(customers.id, invoices.customerId)))
        .where(and(f(invoices), eq(customers.name, name)))
        .toSQL();
    for (const name of ['a', 'b', 'c']) {
      expect(join(acme, () => undefined, name)).toEqual(join(oracle, (t) => eq(t.tenantId, acmeId), name));
    }
  });

  it('leaves to drizzle what it does not read: an expression that writes itself as SQL, inlined values', () => {
    const upper = customType<{ data: string; driverData: string }>({ dataType: () => 'text', toDriver: (v) => sql`upper(${v})` as never });
    const notes = pgTable('shape_notes', { id: uuid('id').primaryKey(), body: upper('body'), plain: text('plain') });
    const before = selects.size;
    for (const body of ['a', 'b']) {
      const query = acme.select().from(notes).where(eq(notes.body, body)).toSQL();
      expect(query).toEqual(oracle.select().from(notes).where(eq(notes.body, body)).toSQL());
      expect(query.sql).toContain('upper(');
      const inlined = acme.select().from(notes).where(sql`${notes.plain} = ${body}`.inlineParams()).toSQL();
      expect(inlined).toEqual(oracle.select().from(notes).where(sql`${notes.plain} = ${body}`.inlineParams()).toSQL());
      expect(inlined.params).toEqual([]);
    }
    expect(selects.size).toBe(before);
  });

  it('keeps its trie bounded, counting the nodes of shapes it leaves to drizzle too', () => {
    // Text that differs on every call (a product writing a value into sql.raw) makes a new shape
    // each time; half of these end in an aliased expression it leaves to drizzle, after the
    // walk has added nodes for the text before it.
    const shapes = new SelectShapes(new PgDialect(), 2_000);
    const configOf = (where: SQL) => (oracle.select().from(customers).where(where) as unknown as { config: Parameters<SelectShapes['build']>[0] }).config;
    shapes.build(configOf(sql`${sql.raw('y')} = ${sql`1`.as('one')}`));
    expect(shapes.size).toBe(0);
    expect(shapes.nodeCount).toBeGreaterThan(0);
    let peak = 0;
    let resets = 0;
    for (let i = 0; i < 1_500; i++) {
      const where = i % 2 ? sql`${sql.raw(`x${i}`)} = 1` : sql`${sql.raw(`x${i}`)} = ${sql`1`.as('one')}`;
      const before = shapes.nodeCount;
      shapes.build(configOf(where));
      if (shapes.nodeCount < before) resets++;
      peak = Math.max(peak, shapes.nodeCount);
    }
    expect(resets).toBeGreaterThan(0);
    expect(peak).toBeLessThan(2_000 + 20);
    // Only the shapes it reads are kept; an aliased one never is.
    expect(shapes.size).toBeGreaterThan(0);
    expect(shapes.size).toBeLessThan(750);
  });

  it('reads the right rows through a kept text, value after value', async () => {
    const rows = await seeded.su<{ id: string; number: string }[]>`select id, number from invoices where tenant_id = ${acmeId}`;
    expect(rows.length).toBeGreaterThan(1);
    for (let round = 0; round < 2; round++) {
      for (const row of rows) {
        const found = await acme.select().from(invoices).where(eq(invoices.id, row.id));
        expect(found.map((r) => r.number)).toEqual([row.number]);
        const byNumber = await acme.select({ id: invoices.id }).from(invoices).where(and(eq(invoices.number, row.number), isNotNull(invoices.id))).limit(1);
        expect(byNumber).toEqual([{ id: row.id }]);
      }
    }
    // Another tenant's invoice, read by id through acme's kept text: nothing.
    const [other] = await seeded.su<{ id: string }[]>`select id from invoices where tenant_id <> ${acmeId} limit 1`;
    expect(await acme.select().from(invoices).where(eq(invoices.id, other!.id))).toEqual([]);
  });
});
