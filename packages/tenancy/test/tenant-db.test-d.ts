/**
 * The brand (C3): functions that need tenant data take a TenantDb, and nothing but
 * db.tenant()/withTenant() produces one. Each @ts-expect-error fails the run if the line compiles.
 */
import { invoices } from '@studio/db-schema/schema';
import { drizzle } from 'drizzle-orm/postgres-js';
import type postgres from 'postgres';
import { describe, expectTypeOf, test } from 'vitest';
import type { Database, TenantDb } from '../src/index';

declare function listInvoices(tdb: TenantDb): Promise<unknown>;
declare const db: Database;
declare const rawSql: postgres.Sql;

describe('TenantDb', () => {
  test('comes from db.tenant() and db.withTenant()', async () => {
    expectTypeOf(db.tenant).returns.resolves.toEqualTypeOf<TenantDb>();
    await db.withTenant('id', (tdb) => {
      expectTypeOf(tdb).toEqualTypeOf<TenantDb>();
      return listInvoices(tdb);
    });
    const tdb = await db.tenant('id');
    await tdb.transaction(async (tx) => listInvoices(tx));
  });

  test('cannot be a raw client', () => {
    const raw = drizzle({ client: rawSql });
    // @ts-expect-error a plain drizzle client is not scoped to a tenant
    void listInvoices(raw);
    // @ts-expect-error a postgres.js client neither
    void listInvoices(rawSql);
  });

  test('cannot be forged from an object of the same shape', async () => {
    const real = await db.tenant('id');
    const { tenantId, tenant, mode, select, selectDistinct, selectDistinctOn, insert, update, delete: del, query, $with, with: w, execute, transaction } = real;
    const lookalike = { tenantId, tenant, mode, select, selectDistinct, selectDistinctOn, insert, update, delete: del, query, $with, with: w, execute, transaction };
    // @ts-expect-error the brand cannot be written outside @studio/tenancy
    void listInvoices(lookalike);
  });

  test('keeps drizzle’s result types', async () => {
    const tdb = await db.tenant('id');
    const rows = await tdb.select({ id: invoices.id, cents: invoices.amountCents }).from(invoices);
    expectTypeOf(rows).toEqualTypeOf<{ id: string; cents: number }[]>();
  });
});
