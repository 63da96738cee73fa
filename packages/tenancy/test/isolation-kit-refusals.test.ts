/**
 * The kit cannot be fooled by a refusal it did not ask for. Each attack expects one outcome (the
 * guard's refusal with its reason, a SQLSTATE, or "nothing of B's"); an attack that fails for an
 * unrelated reason (a NOT NULL column, a missing column, a syntax error) never reached the layer
 * it tests, and is a failed check. Before, any error counted as a pass, and the "insert with the
 * other tenant's id" attack failed on NOT NULL before the guard or RLS were ever reached.
 */
import { createTestDatabase, type TestDatabase } from '@studio/db-schema/testing';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../src/index';
import { TenantScopeError } from '../src/errors';
import { judge, runIsolationMatrix, type AttackResult, type Outcome } from '../src/testing/index';
import { attempt, getsNothing, refusedByGuard, refusedWith } from '../src/testing/verdict';

const B = '22222222-2222-4222-8222-222222222222';
const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });
const failed = (error: unknown): Outcome => ({ ok: false, error });
const ran = (detail: string, leak?: string): Outcome => ({ ok: true, ran: { detail, leak } });

describe('judging one attack', () => {
  const guardRefusal = (reason: 'function' | 'relation') => new TenantScopeError('no', 'select 1', undefined, reason);

  it('passes exactly the expected refusal', () => {
    expect(judge(refusedByGuard('function'), failed(guardRefusal('function'))).pass).toBe(true);
    expect(judge(refusedWith('42501', 'row-level security'), failed(pgError('42501', 'new row violates row-level security policy for table "customers"'))).pass).toBe(true);
    expect(judge(getsNothing(), ran('0 rows')).pass).toBe(true);
  });

  it('fails an unrelated error, and says which', () => {
    const notNull = judge(refusedWith('42501'), failed(pgError('23502', 'null value in column "name" violates not-null constraint')));
    expect(notNull).toEqual({ pass: false, outcome: expect.stringMatching(/expected SQLSTATE 42501.*got SQLSTATE 23502/) });
    const column = judge(refusedByGuard('unscoped'), failed(pgError('42703', 'column "nope" does not exist')));
    expect(column).toEqual({ pass: false, outcome: expect.stringMatching(/expected TENANT_SCOPE \(unscoped\), got SQLSTATE 42703/) });
    expect(judge(getsNothing(), failed(pgError('42601', 'syntax error at or near ")"'))).pass).toBe(false);
    expect(judge(refusedByGuard('function'), failed(new Error('socket hang up'))).pass).toBe(false);
  });

  it('fails the right kind of refusal for the wrong reason', () => {
    // The guard refused, but not for what this attack tests.
    expect(judge(refusedByGuard('function'), failed(guardRefusal('relation'))).outcome).toMatch(/expected TENANT_SCOPE \(function\), got refused by the guard \(relation\)/);
    // 42501 from a missing privilege is not the policy's WITH CHECK.
    expect(judge(refusedWith('42501', 'row-level security'), failed(pgError('42501', 'permission denied for table customers'))).pass).toBe(false);
    // A guard refusal where the database was expected to answer, and the other way round.
    expect(judge(refusedWith('42501'), failed(guardRefusal('function'))).pass).toBe(false);
    expect(judge(refusedByGuard('function'), failed(pgError('42501', 'permission denied for function query_to_xml'))).pass).toBe(false);
  });

  it('fails an attack that ran when a refusal was expected, and any leak', () => {
    expect(judge(refusedByGuard('function'), ran('1 rows')).outcome).toMatch(/expected TENANT_SCOPE \(function\), but it ran/);
    expect(judge(getsNothing(), ran('3 rows', "2 rows of other tenants")).outcome).toMatch(/^LEAK: 2 rows of other tenants/);
    expect(judge(refusedByGuard('unscoped'), failed(guardRefusal('relation')), { bIntact: false }).outcome).toMatch(/^LEAK: B's row changed/);
    expect(judge(refusedWith('23505'), failed(pgError('23505', `duplicate key (tenant_id, email)=(${B}, x)`)), { secrets: [B] }).pass).toBe(false);
  });
});

describe('on a database that refuses for another reason', () => {
  let testDb: TestDatabase;
  let results: AttackResult[];

  beforeAll(async () => {
    testDb = await createTestDatabase();
    // Every insert of the app role into customers fails on "NOT NULL" before RLS looks at it (a
    // BEFORE trigger runs before the policy's WITH CHECK): what a column the kit forgot to fill does.
    const owner = postgres(testDb.urls.owner, { max: 1, onnotice: () => {} });
    await owner.unsafe(`
      create function leak_kit_not_null() returns trigger language plpgsql as $$
      begin
        if current_user = '${testDb.roles.app.name}' then
          raise exception 'null value in column "ghost" of relation "customers" violates not-null constraint' using errcode = '23502';
        end if;
        return new;
      end $$;
      create trigger leak_kit_not_null before insert on customers for each row execute function leak_kit_not_null();`);
    await owner.end();
    results = await runIsolationMatrix({ ownerUrl: testDb.urls.owner, appUrl: testDb.urls.app, tables: ['customers'], platform: false });
  }, 120_000);

  afterAll(async () => {
    await testDb?.drop();
  });

  it('fails every attack whose expected refusal the unrelated error hid, and says so', () => {
    const failures = results.filter((r) => !r.pass);
    expect(failures.map((r) => `${r.layer}/${r.attack}`).sort()).toEqual(
      ["sql/insert with the other tenant's id", 'sql/upsert (ON CONFLICT) onto the other row', 'sql/INSERT ... WITH on VALUES', 'scoped/unique-violation probing'].sort(),
    );
    for (const r of failures) expect(r.outcome, `${r.layer}/${r.attack}`).toMatch(/got SQLSTATE 23502 not_null_violation/);
  });

  it('still passes what the guard refuses before anything is sent', () => {
    const insert = results.find((r) => r.layer === 'scoped' && r.attack === "insert with the other tenant's id")!;
    expect(insert.pass).toBe(true);
    expect(insert.outcome).toMatch(/refused by the guard \(unscoped\)/);
  });

  it('fails a statement the database refuses for a missing column, whatever was expected', async () => {
    const db = createDatabase({ url: testDb.urls.app, tenantCache: { listen: false } });
    try {
      const [tenant] = await db.platform.listTenants();
      const tdb = await db.tenant(tenant!.id);
      const outcome = await attempt(async () => ({ detail: `${(await tdb.execute(sql`select no_such_column from customers where tenant_id = ${tdb.tenantId}`)).length} rows` }));
      for (const expected of [getsNothing(), refusedByGuard('unscoped'), refusedWith('42501')]) {
        const verdict = judge(expected, outcome);
        expect(verdict.pass).toBe(false);
        expect(verdict.outcome).toMatch(/got SQLSTATE 42703 undefined_column/);
      }
    } finally {
      await db.close();
    }
  });
});
