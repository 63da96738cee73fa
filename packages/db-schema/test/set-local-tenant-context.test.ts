// The tenant context goes into the text of SET LOCAL on Citus (SET takes no parameters), so
// setLocalTenantContextSql must let through a signed value and nothing else: no quote,
// backslash, semicolon, whitespace or other character that could end the literal or the statement.
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantContextValue } from '../src/config';
import { setLocalTenantContextSql, TENANT_CONTEXT_VALUE } from '../src/tenant-context';
import { createTestDatabase, type TestDatabase } from '../src/testing/index';

const TENANT = '0b7c0f1e-3c1a-4b8e-9a55-5a3f2f1d9c11';

describe('setLocalTenantContextSql', () => {
  it('accepts a signed value and quotes it as one literal', () => {
    const value = tenantContextValue(TENANT);
    expect(setLocalTenantContextSql(value)).toBe(`SET LOCAL app.tenant_context = '${value}'`);
  });

  it('refuses anything that is not exactly a signed value', () => {
    const value = tenantContextValue(TENANT);
    const attacks = [
      `${value}'; reset role; select '`,
      `${value}' `,
      `${value}\\`,
      `${value};`,
      `${value}\n`,
      ` ${value}`,
      value.replace('v1.', "v1'."),
      value.replace(TENANT, `${TENANT.slice(0, -1)}'`),
      value.slice(0, -1),
      `${value}0`,
      '',
      "'",
      'v1',
    ];
    for (const attack of attacks) expect(() => setLocalTenantContextSql(attack), JSON.stringify(attack)).toThrow(TypeError);
  });

  it('lets no character outside [0-9a-fA-F.v-] through, whatever the value (every printable ASCII byte, each position)', () => {
    const value = tenantContextValue(TENANT);
    for (let code = 0; code < 128; code++) {
      const c = String.fromCharCode(code);
      if (/[0-9a-fA-F.v-]/.test(c)) continue;
      for (const at of [0, 3, 20, value.length - 1, value.length]) {
        const forged = value.slice(0, at) + c + value.slice(at);
        expect(TENANT_CONTEXT_VALUE.test(forged), `${JSON.stringify(c)} at ${at}`).toBe(false);
      }
    }
  });
});

describe('SET LOCAL of the context on plain Postgres', () => {
  let database: TestDatabase;
  let sql: postgres.Sql;

  beforeAll(async () => {
    database = await createTestDatabase();
    sql = postgres(database.urls.app, { max: 1, onnotice: () => {}, connection: { 'citus.propagate_set_commands': 'local' } });
  });

  afterAll(async () => {
    await sql?.end();
    await database?.drop();
  });

  it('sets exactly the value, for the transaction only, and the Citus startup parameter is harmless here', async () => {
    const value = tenantContextValue(TENANT);
    const seen = await sql.begin(async (tx) => {
      await tx.unsafe(setLocalTenantContextSql(value));
      return tx<{ v: string; p: string }[]>`select current_setting('app.tenant_context') as v, current_setting('citus.propagate_set_commands') as p`;
    });
    expect(seen).toEqual([{ v: value, p: 'local' }]);
    const [after] = await sql<{ v: string | null }[]>`select nullif(current_setting('app.tenant_context', true), '') as v`;
    expect(after?.v).toBeNull();
  });
});
