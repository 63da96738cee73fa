/**
 * Red-team finding on issue 18's guard: in `insert into lesson_plans (id, tenant_id, title, subject)
 * select x.*, $1, ...` the guard checked the select item at tenant_id's position ($1, the current
 * tenant), but `x.*` expands to two columns, so Postgres filled tenant_id from x: another tenant's
 * id. In the guard-only product that wrote (and with ON CONFLICT read) another tenant's plans.
 * A `*` in an insert's rows is refused, and the count of items must match the named columns.
 * Also: array types of the catalog-reading casts ('{pg_authid}'::_regclass) and aclitem.
 */
import { describe, expect, it } from 'vitest';
import { A, allowed, refusal } from './guard-fixture';

describe('an INSERT whose items do not line up with its columns is refused', () => {
  it.each([
    [
      'INSERT ... SELECT x.* before tenant_id',
      "insert into lesson_plans (id, tenant_id, title, subject) select x.*, $1, 'planted' from (select gen_random_uuid(), (select t.id from tenants t where t.slug = 'globex')) x",
    ],
    ['INSERT ... SELECT *', 'insert into lesson_plans (tenant_id, id, title, subject) select * from (select $1::uuid, gen_random_uuid(), $2, $3) x'],
    ['INSERT ... SELECT (row).*', "insert into lesson_plans (id, tenant_id, title) select (x).*, $1 from (select row(gen_random_uuid(), 'x')) x"],
    ['fewer items than columns', 'insert into lesson_plans (tenant_id, id, title) select $1, gen_random_uuid()'],
    ['a VALUES row with more items than columns', "insert into lesson_plans (tenant_id, title) values ($1, 'a', 'b')"],
  ])('%s', (_name, sql) => {
    const error = refusal(sql, [A, A, A, A]);
    expect(error.reason).toBe('unscoped');
    expect(error.table).toBe('lesson_plans');
  });

  it('a plain INSERT ... SELECT and VALUES still pass', () => {
    expect(() => allowed("insert into lesson_plans (tenant_id, title, subject) select $1, 'a', 'b'")).not.toThrow();
    expect(() => allowed("insert into lesson_plans (tenant_id, title, subject) values ($1, 'a', 'b'), ($2, 'c', 'd')")).not.toThrow();
  });
});

describe('casts that read the catalogs are refused as arrays too', () => {
  it.each([
    ["'{1260}'::_oid::_regclass", "select '{1260}'::_oid::_regclass"],
    ["'{pg_authid}'::_regclass", "select '{pg_authid,studio_private.context_keys}'::_regclass"],
    ["'{<a/>}'::_xml", `select '{"<a>1</a>"}'::_xml`],
    ['aclitem', "select 'nosuchrole=r/studio_owner'::aclitem"],
  ])('%s', (_name, sql) => {
    expect(refusal(sql).reason).toBe('function');
  });
});
