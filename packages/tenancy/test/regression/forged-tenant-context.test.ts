/**
 * Issue 18: RLS trusted app.tenant_id, a setting any statement of the product role could change.
 * `select query_to_xml('select set_config(''app.tenant_id'', ''<globex>'', true); select count(*) from invoices', ...)`
 * went past the guard (the SQL inside the string was never parsed) and counted globex's invoices.
 * Now, as the product role on a raw connection (a guard bypassed, or a stolen password):
 * the SQL-executing built-ins are not executable, and no setting it can write selects a tenant.
 */
import { tenantContextValue } from '@studio/db-schema/config';
import type postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { seededWithAppConnection } from '../helpers';

const world = seededWithAppConnection();

function inAcme<T>(fn: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
  return world.app.begin(async (tx) => {
    await tx`select set_config('app.tenant_context', ${tenantContextValue(world.seeded.ids.acme)}, true)`;
    return fn(tx);
  }) as Promise<T>;
}

describe('a tenant context SQL cannot forge (C15)', () => {
  it('refuses query_to_xml, table_to_xml and ts_stat to the product role', async () => {
    const inner = `select set_config('app.tenant_id', '${world.seeded.ids.globex}', true); select count(*) from invoices`;
    for (const attempt of [
      () => world.app`select query_to_xml(${inner}, true, false, '')`,
      () => world.app`select table_to_xml('lesson_plans', true, false, '')`,
      () => world.app`select query_to_xmlschema('select 1', true, false, '')`,
      () => world.app`select * from ts_stat('select to_tsvector(title) from lesson_plans')`,
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: '42501' });
    }
  });

  it("sees nothing of globex after setting globex's id, bare or in a copied signature", async () => {
    const [globex] = await world.seeded.su<{ n: number }[]>`select count(*)::int as n from invoices where tenant_id = ${world.seeded.ids.globex}`;
    expect(globex!.n).toBeGreaterThan(0);
    const forged = tenantContextValue(world.seeded.ids.acme).replace(world.seeded.ids.acme, world.seeded.ids.globex);
    for (const statement of [
      `select set_config('app.tenant_id', '${world.seeded.ids.globex}', true)`,
      `select set_config('app.tenant_context', '${world.seeded.ids.globex}', true)`,
      `select set_config('app.tenant_context', '${forged}', true)`,
      `set local app.tenant_context = '${forged}'`,
    ]) {
      const count = await inAcme(async (tx) => {
        await tx.unsafe(statement);
        const [row] = await tx<{ n: number }[]>`select count(*)::int as n from invoices where tenant_id = ${world.seeded.ids.globex}`;
        return row!.n;
      });
      expect(count, statement).toBe(0);
    }
  });

  it('still reads its own tenant under a valid context (the control)', async () => {
    const count = await inAcme(async (tx) => {
      const [row] = await tx<{ n: number }[]>`select count(*)::int as n from invoices`;
      return row!.n;
    });
    expect(count).toBeGreaterThan(0);
  });
});
