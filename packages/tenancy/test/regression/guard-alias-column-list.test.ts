/**
 * A column alias list renames a table's columns by position: with `from lesson_plans as lp(a,
 * tenant_id)` the guard took `lp.tenant_id = $1` for the tenant filter while it compared another
 * column (issue 18). On a platform table it would give a secret column a readable name.
 */
import { describe, expect, it } from 'vitest';
import { allowed, refusal } from './guard-fixture';

describe('a column alias list on a table is refused', () => {
  it.each([
    ['on a tenant table', 'select * from lesson_plans as lp(a, tenant_id) where lp.tenant_id = $1', 'lesson_plans'],
    ['on a tenant table in a join', 'select i.id from invoices i join customers as c(x, tenant_id) on c.tenant_id = $1 where i.tenant_id = $1', 'customers'],
    ['on a tenant table in a sub-select', 'select id from invoices where tenant_id = $1 and exists (select 1 from customers c(tenant_id) where c.tenant_id = $1)', 'customers'],
    ['on a platform table', 'select t.slug from tenants as t(id, name, slug)', 'tenants'],
  ])('%s', (_name, sql, table) => {
    const error = refusal(sql);
    expect(error.reason).toBe('statement');
    expect(error.table).toBe(table);
    expect(error.message).toContain('column alias list');
  });

  it('an alias list on a sub-select or a CTE is fine', () => {
    expect(() => allowed('select x.a from (select id from lesson_plans where tenant_id = $1) as x(a)')).not.toThrow();
    expect(() => allowed('with m(a) as (select id from lesson_plans where tenant_id = $1) select a from m')).not.toThrow();
  });
});
