/**
 * Sub-selects in clauses the guard did not walk: `insert ... values (...) limit (select count(*)
 * from customers ...)` ran an unfiltered sub-select (a cross-tenant oracle: the row is inserted
 * or not). The guard now walks every node, so each place below is analysed (issue 18).
 */
import { describe, expect, it } from 'vitest';
import { allowed, refusal } from './guard-fixture';

const leak = "(select count(*) from customers where email = 'x')";

describe('a sub-select is analysed wherever it is', () => {
  it.each([
    ['LIMIT of INSERT ... VALUES', `insert into invoices (tenant_id, number) values ($1, 'n') limit ${leak}`],
    ['OFFSET of INSERT ... VALUES', `insert into invoices (tenant_id, number) values ($1, 'n') offset ${leak}`],
    ['ORDER BY of INSERT ... VALUES', `insert into invoices (tenant_id, number) values ($1, 'n') order by ${leak}`],
    ['ON CONFLICT ... WHERE of the inferred key', `insert into customers (tenant_id, email) values ($1, $2) on conflict (tenant_id, email) where ${leak} > 0 do update set name = 'x'`],
    ['ON CONFLICT DO UPDATE SET', `insert into customers (tenant_id, email) values ($1, $2) on conflict (tenant_id, email) do update set name = ${leak}::text`],
    ['ON CONFLICT DO UPDATE ... WHERE', `insert into customers (tenant_id, email) values ($1, $2) on conflict (tenant_id, email) do update set name = 'x' where ${leak} > 0`],
    ['LIMIT', `select * from invoices where tenant_id = $1 limit ${leak}`],
    ['OFFSET', `select * from invoices where tenant_id = $1 offset ${leak}`],
    ['FETCH FIRST', `select * from invoices where tenant_id = $1 fetch first ${leak} rows only`],
    ['LIMIT of a UNION', `(select id from invoices where tenant_id = $1) union (select id from invoices where tenant_id = $1) limit ${leak}`],
    ['ORDER BY', `select * from invoices where tenant_id = $1 order by ${leak}`],
    ['GROUP BY', `select count(*) from invoices where tenant_id = $1 group by ${leak}`],
    ['HAVING', `select count(*) from invoices where tenant_id = $1 having count(*) < ${leak}`],
    ['a function argument', `select coalesce(${leak}, 0) from invoices where tenant_id = $1`],
    ['an aggregate FILTER', `select count(*) filter (where ${leak} > 0) from invoices where tenant_id = $1`],
    ['a window definition', `select row_number() over (order by ${leak}) from invoices where tenant_id = $1`],
    ['a named window', `select row_number() over w from invoices where tenant_id = $1 window w as (partition by ${leak})`],
    ['DISTINCT ON', `select distinct on (${leak}) id from invoices where tenant_id = $1`],
    ['RETURNING of UPDATE', `update invoices set notes = 'x' where tenant_id = $1 returning ${leak}`],
    ['RETURNING of DELETE', `delete from invoices where tenant_id = $1 returning ${leak}`],
    ['RETURNING of INSERT', `insert into invoices (tenant_id, number) values ($1, 'n') returning ${leak}`],
    ['UPDATE SET', `update invoices set notes = ${leak}::text where tenant_id = $1`],
    ['UPDATE SET (a, b) = (select ...)', "update invoices set (notes, number) = (select name, email from customers limit 1) where tenant_id = $1"],
    ['UPDATE ... FROM a sub-select', 'update invoices set notes = x.name from (select name from customers) x where invoices.tenant_id = $1'],
    ['DELETE ... USING a sub-select', 'delete from invoices using (select id from customers) x where invoices.tenant_id = $1 and x.id = invoices.customer_id'],
    ['a VALUES list in FROM', `select * from (values (${leak})) v(n)`],
    ['a CASE', `select case when ${leak} > 0 then 1 end from invoices where tenant_id = $1`],
    ['a join condition', `select i.id from invoices i join customers c on c.tenant_id = $1 and ${leak} > 0 where i.tenant_id = $1`],
    ['an ARRAY(...) constructor', 'select array(select email from customers) from invoices where tenant_id = $1'],
    ['a function in FROM', `select * from generate_series(1, ${leak})`],
    ['a LATERAL sub-select', 'select i.id, x.email from invoices i cross join lateral (select email from customers c where c.id = i.customer_id) x where i.tenant_id = $1'],
  ])('%s', (_name, sql) => {
    const error = refusal(sql);
    expect(error.reason).toBe('unscoped');
    expect(error.table).toBe('customers');
  });

  it('lets the same places through when the sub-select is scoped', () => {
    const scoped = '(select count(*) from customers where tenant_id = $1)';
    expect(() => allowed(`insert into invoices (tenant_id, number) values ($1, 'n') limit ${scoped}`)).not.toThrow();
    expect(() => allowed(`select * from invoices where tenant_id = $1 order by ${scoped} limit ${scoped}`)).not.toThrow();
    expect(() => allowed(`update invoices set notes = ${scoped}::text where tenant_id = $1 returning ${scoped}`)).not.toThrow();
  });
});
