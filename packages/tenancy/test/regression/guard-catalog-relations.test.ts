/**
 * Relations outside the product's allow-list: `pg_stat_user_tables.n_live_tup` showed every
 * tenant's row counts, and sessions, accounts, users and the queue's tables were readable and
 * writable through the scoped client (issue 18). Only tenant tables, declared platform tables
 * (their declared columns, read-only) and the statement's own CTEs may be named.
 */
import { describe, expect, it } from 'vitest';
import { allowed, refusal } from './guard-fixture';

describe('the guard refuses relations outside the allow-list, naming them', () => {
  it.each([
    ['pg_stat_user_tables', 'select relname, n_live_tup from pg_stat_user_tables'],
    ['pg_class', 'select relname, reltuples from pg_class'],
    ['pg_catalog.pg_proc', 'select proname from pg_catalog.pg_proc'],
    ['pg_stat_activity', 'select query from pg_stat_activity'],
    ['pg_prepared_statements', 'select statement from pg_prepared_statements'],
    ['information_schema.tables', 'select table_name from information_schema.tables'],
    ['users', 'update users set is_platform_admin = true'],
    ['users', 'select email from users'],
    ['sessions', 'select token from sessions'],
    ['accounts', 'select password from accounts'],
    ['invitations', 'select id from invitations'],
    ['memberships', 'select role from memberships'],
    ['studio_jobs.job', 'select data from studio_jobs.job'],
    ['studio_jobs.job', "insert into studio_jobs.job (name, data) values ('invoices.export', $1)"],
    ['other.invoices', 'select * from other.invoices where tenant_id = $1'],
    ['postgres.public.invoices', 'select * from postgres.public.invoices where tenant_id = $1'],
    ['sessions', 'with s as (select token from sessions) select * from s'],
    ['sessions', 'select id from invoices where tenant_id = $1 and exists (select 1 from sessions)'],
    ['sessions', 'select id from invoices i where i.tenant_id = $1 union all select token from sessions'],
    ['sessions', 'with sessions as (select * from sessions) select * from sessions'],
    ['accounts', 'with a as (select 1), b as (select password from accounts) select * from b'],
  ])('%s', (relation, sql) => {
    const error = refusal(sql);
    expect(error.code).toBe('TENANT_SCOPE');
    expect(error.reason).toBe('relation');
    expect(error.table).toBe(relation);
    expect(error.message).toContain(relation);
  });

  it.each([
    ['INSERT', "insert into tenants (slug, name) values ('x', 'y')"],
    ['UPDATE', "update tenants set status = 'active' where id = $1"],
    ['DELETE', 'delete from plans'],
    ['FOR UPDATE', 'select id from tenants where id = $1 for update'],
  ])('a write to a platform table (%s)', (_name, sql) => {
    const error = refusal(sql);
    expect(error.reason).toBe('relation');
    expect(error.message).toContain('read-only');
  });

  it.each([
    ['*', 'select * from tenants'],
    ['t.*', 'select t.* from tenants t'],
    ['a whole row', 'select t from tenants t'],
    ['a whole row in a function', 'select row_to_json(t) from tenants t'],
    ['an undeclared column', 'select logo from tenants'],
    ['an undeclared column, qualified', 'select t.metadata from tenants t'],
    ['an undeclared column in WHERE', "select id from tenants where metadata like 'a%'"],
    ['an undeclared column in GROUP BY', 'select count(*) from tenants group by metadata'],
    ['an undeclared column, schema-qualified', 'select public.tenants.metadata from public.tenants'],
    ['an unqualified column next to a tenant table', 'select number, metadata from invoices i join tenants t on t.id = i.tenant_id where i.tenant_id = $1'],
    ['USING an undeclared column', 'select t.id from tenants t join tenants u using (metadata)'],
    ['an undeclared column in a LATERAL sub-select', 'select t.slug, x.m from tenants t cross join lateral (select metadata as m) x'],
    ['an undeclared column in a correlated sub-select', 'select t.slug, (select metadata) from tenants t'],
    ['an undeclared column in an ORDER BY expression, though an output has its name', "select id as logo from tenants order by logo || ''"],
  ])('a platform column not declared readable (%s)', (_name, sql) => {
    const error = refusal(sql);
    expect(error.reason).toBe('column');
    expect(error.table).toBe('tenants');
  });

  it.each([
    ['declared columns', 'select id, slug, name, status, branding from tenants where slug = $1'],
    ['declared columns, qualified, in a join', 'select i.id, t.name, p.max_members from invoices i join tenants t on t.id = i.tenant_id join plans p on p.id = t.plan where i.tenant_id = $1'],
    ['the CTE of a platform read', 'with t as (select id, slug from tenants) select * from t'],
    ['ORDER BY an output alias', 'select slug as s from tenants order by s'],
    ['count(*)', 'select count(*) from plans'],
    ['a plain sub-select next to a platform table', 'select t.slug, x.number from tenants t, (select number from invoices where tenant_id = $1) x'],
  ])('lets through %s', (_name, sql) => {
    expect(() => allowed(sql)).not.toThrow();
  });
});
