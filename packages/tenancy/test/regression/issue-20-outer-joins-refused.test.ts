/**
 * Issue 20: `rightJoin`/`fullJoin` on the scoped client put the FROM table's tenant filter in
 * WHERE, which drops the very rows an outer join keeps: an inner join in disguise, or a refusal
 * by the guard that named no join. They are refused by the builder now, before anything is sent,
 * with a TenantScopeError (reason 'join') that says what to write instead.
 */
import { customers, invoices } from '@studio/db-schema/schema';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenantScopeError } from '../../src/errors';
import { createDatabase, type Database } from '../../src/index';
import { seededDatabase, type SeededDatabase } from '../helpers';

let seeded: SeededDatabase;
let db: Database;

beforeAll(async () => {
  seeded = await seededDatabase();
  db = createDatabase({ url: seeded.testDb.urls.app, tenantCache: { listen: false } });
});

afterAll(async () => {
  await db?.close();
  await seeded?.close();
});

describe('outer joins the scoped client cannot scope', () => {
  it('refuses rightJoin and fullJoin with a tenant table, naming what to write instead', async () => {
    const tdb = await db.tenant(seeded.ids.acme);
    const attempts = {
      rightJoin: () => tdb.select().from(invoices).rightJoin(customers, eq(invoices.customerId, customers.id)),
      fullJoin: () => tdb.select().from(invoices).fullJoin(customers, eq(invoices.customerId, customers.id)),
    };
    for (const [kind, build] of Object.entries(attempts)) {
      let error: unknown;
      try {
        await build();
      } catch (e) {
        error = e;
      }
      expect(error, kind).toBeInstanceOf(TenantScopeError);
      expect(error, kind).toMatchObject({ code: 'TENANT_SCOPE', reason: 'join' });
      expect((error as Error).message).toContain(`${kind}()`);
      expect((error as Error).message).toContain('leftJoin');
    }
  });

  it('still runs a left join, scoped on both sides (the form to use)', async () => {
    const tdb = await db.tenant(seeded.ids.acme);
    const rows = await tdb.select({ customer: customers.id, invoice: invoices.id }).from(customers).leftJoin(invoices, eq(invoices.customerId, customers.id));
    expect(rows.length).toBeGreaterThan(0);
    const [other] = await seeded.su<{ n: number }[]>`select count(*)::int as n from customers where tenant_id = ${seeded.ids.acme}`;
    expect(new Set(rows.map((r) => r.customer)).size).toBe(other!.n);
  });
});
