import { beforeAll, describe, expect, it } from 'vitest';
import { TenantScopeError } from '../src/errors';
import { QueryGuard } from '../src/guard/query-guard';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

const guard = new QueryGuard({ tenantTables: ['invoices', 'customers', 'lesson_plans'] });
beforeAll(() => guard.ready());

function refusal(sql: string, params: unknown[] = [A]): TenantScopeError {
  try {
    guard.check(sql, params, A);
  } catch (error) {
    if (error instanceof TenantScopeError) return error;
    throw error;
  }
  throw new Error(`the guard let this through: ${sql}`);
}

function allowed(sql: string, params: unknown[] = [A]) {
  return guard.check(sql, params, A);
}

describe('the query guard refuses', () => {
  it.each([
    ['no filter', 'select * from invoices'],
    ['a filter on another column', 'select * from invoices where customer_id = $1'],
    ['tenant_id = $1 OR true', 'select * from invoices where tenant_id = $1 or true'],
    ['the filter under NOT', 'select * from invoices where not (tenant_id <> $1)'],
    ['a literal instead of a bound parameter', `select * from invoices where tenant_id = '${A}'`],
    ['a join filtered on one side only', 'select * from invoices i join customers c on c.id = i.customer_id where i.tenant_id = $1'],
    ['a left join whose preserved side is filtered only in ON', 'select * from invoices i left join customers c on c.tenant_id = $1 and i.tenant_id = $1'],
    ['a full join filtered only in ON', 'select * from invoices i full join customers c on c.tenant_id = $1 and i.tenant_id = $1'],
    ['a tenant table in a subquery without its filter', 'select * from invoices where tenant_id = $1 and customer_id in (select id from customers)'],
    ['a correlated subquery without its own filter', 'select * from invoices i where i.tenant_id = $1 and exists (select 1 from customers c where c.id = i.customer_id)'],
    ['a tenant table in a FROM subquery without its filter', 'select * from (select * from invoices) x'],
    ['a tenant table in a CTE without its filter', 'with x as (select * from customers) select * from invoices, x where invoices.tenant_id = $1'],
    ['a CTE that shadows a tenant table', 'with invoices as (select 1) select * from invoices'],
    ['a UNION with one unfiltered branch', 'select id from invoices where tenant_id = $1 union select id from customers'],
    ['UPDATE without the filter', 'update invoices set notes = $1'],
    ['UPDATE moving rows to another tenant', 'update invoices set tenant_id = $2 where tenant_id = $1', [A, B]],
    ['UPDATE ... FROM an unfiltered tenant table', 'update invoices set notes = c.name from customers c where invoices.tenant_id = $1 and c.id = invoices.customer_id'],
    ['DELETE without the filter', 'delete from invoices where id = $1'],
    ['DELETE ... USING an unfiltered tenant table', 'delete from invoices using customers c where invoices.tenant_id = $1 and c.id = invoices.customer_id'],
    ['INSERT without tenant_id', 'insert into invoices (number) values ($1)'],
    ['INSERT without a column list', 'insert into invoices values ($1, $2)'],
    ['INSERT with a computed tenant_id', 'insert into invoices (tenant_id, number) values (gen_random_uuid(), $1)'],
    ['INSERT ... SELECT from an unfiltered tenant table', 'insert into invoices (tenant_id, number) select $1, number from invoices'],
    ['ON CONFLICT DO UPDATE on a key without tenant_id', 'insert into customers (tenant_id, email) values ($1, $2) on conflict (email) do update set name = excluded.name'],
    ['transaction control', 'commit'],
    ['SET of the tenant context', "set app.tenant_id = 'x'"],
    ['set_config of the tenant context', "select set_config('app.tenant_id', $1, true)"],
    ['TRUNCATE', 'truncate invoices'],
    ['two statements', 'select 1; select 2'],
    ['SQL that does not parse', 'selec * form invoices'],
    ['an unqualified tenant_id that could belong to either table', 'select * from invoices, customers where tenant_id = $1'],
    ['a filter written with a user-defined operator', 'select * from invoices where tenant_id operator(myschema.=) $1'],
  ])('%s', (_name, sql, params?: unknown[]) => {
    const error = refusal(sql, params);
    expect(error.code).toBe('TENANT_SCOPE');
    expect(error.message).toContain(sql);
  });

  it('a filter on another tenant, naming the table and the values', () => {
    const error = refusal('select * from invoices where tenant_id = $1', [B]);
    expect(error.table).toBe('invoices');
    expect(error.message).toContain(B);
    expect(error.message).toContain('invoices');
  });

  it('an insert with another tenant’s id', () => {
    refusal('insert into invoices (tenant_id, number) values ($1, $2), ($3, $4)', [A, 'n1', B, 'n2']);
  });

  it('a filter on another tenant in a join', () => {
    refusal('select * from invoices i join customers c on c.tenant_id = $2 and c.id = i.customer_id where i.tenant_id = $1', [A, B]);
  });

  it('IN with another tenant among the values', () => {
    refusal('select * from invoices where tenant_id in ($1, $2)', [A, B]);
  });
});

describe('the query guard lets through', () => {
  it.each([
    ['the filter', 'select * from invoices where tenant_id = $1'],
    ['drizzle’s quoting and parentheses', 'select "id" from "invoices" where ("invoices"."tenant_id" = $1 and "invoices"."id" = $2) limit $3', [A, 'x', 1]],
    ['a cast parameter, reversed', 'select * from invoices where $1::uuid = invoices.tenant_id'],
    ['IN with only the tenant', 'select * from invoices where tenant_id in ($1)'],
    ['a join filtered on both sides', 'select * from invoices i join customers c on c.id = i.customer_id and c.tenant_id = $1 where i.tenant_id = $1'],
    ['a join through tenant_id equality', 'select * from invoices i join customers c on c.tenant_id = i.tenant_id and c.id = i.customer_id where i.tenant_id = $1'],
    ['a left join filtered in ON on the nullable side', 'select * from invoices i left join customers c on c.id = i.customer_id and c.tenant_id = $1 where i.tenant_id = $1'],
    ['a subquery with its own filter', 'select * from invoices where tenant_id = $1 and customer_id in (select id from customers where tenant_id = $1)'],
    ['a CTE with its own filter', 'with x as (select * from customers where tenant_id = $1) select * from invoices join x on x.id = invoices.customer_id where invoices.tenant_id = $1'],
    ['UPDATE with the filter', 'update invoices set notes = $2 where tenant_id = $1 and id = $3', [A, 'n', 'id']],
    ['DELETE with the filter', 'delete from invoices where invoices.tenant_id = $1'],
    ['INSERT with the tenant', 'insert into invoices (tenant_id, number) values ($1, $2) returning id', [A, 'n']],
    ['INSERT ... SELECT with filters', 'insert into invoices (tenant_id, number) select $1, number from invoices where tenant_id = $1'],
    ['ON CONFLICT on a per-tenant key', 'insert into customers (tenant_id, email) values ($1, $2) on conflict (tenant_id, email) do update set name = excluded.name', [A, 'e']],
    ['platform tables without a filter', 'select * from tenants join plans on plans.id = tenants.plan'],
    ['a statement without tables', 'select 1'],
    ['EXPLAIN of a filtered statement', 'explain select * from invoices where tenant_id = $1'],
    ['an unqualified filter on the only table', 'select * from invoices where tenant_id = $1'],
  ])('%s', (_name, sql, params?: unknown[]) => {
    expect(() => allowed(sql, params)).not.toThrow();
  });

  it('reports whether a statement writes', () => {
    expect(allowed('select * from invoices where tenant_id = $1').writes).toBe(false);
    expect(allowed('delete from invoices where tenant_id = $1').writes).toBe(true);
    expect(allowed('with d as (delete from invoices where tenant_id = $1 returning id) select * from d').writes).toBe(true);
  });

  it('parses a query shape once and checks parameters per call', () => {
    const sql = 'select * from customers where tenant_id = $1 and id = $2';
    const before = guard.cachedShapes;
    allowed(sql, [A, 'x']);
    allowed(sql, [A, 'y']);
    expect(guard.cachedShapes).toBe(before + 1);
    expect(() => guard.check(sql, [B, 'x'], A)).toThrow(TenantScopeError);
  });
});
