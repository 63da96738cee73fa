/**
 * Functions that run SQL text the guard never parsed: the guard accepted
 * `select query_to_xml('select set_config(...); select count(*) from invoices', ...)` and
 * `select table_to_xml('lesson_plans', ...)`, which read every tenant's rows (issue 18).
 */
import { describe, expect, it } from 'vitest';
import { QueryGuard } from '../../src/guard/query-guard';
import { refusal } from './guard-fixture';

describe('the guard refuses functions that run SQL text', () => {
  it.each([
    ['query_to_xml', "select query_to_xml('select set_config(''app.tenant_id'', ''x'', true); select count(*) from invoices', true, false, '')"],
    ['table_to_xml', "select table_to_xml('lesson_plans', true, false, '')"],
    ['cursor_to_xml', "select cursor_to_xml('c', 10, true, false, '')"],
    ['schema_to_xml', "select schema_to_xml('public', true, false, '')"],
    ['database_to_xml', 'select database_to_xml(true, false, $1)'],
    ['query_to_xmlschema', "select query_to_xmlschema('select * from lesson_plans', true, false, '')"],
    ['table_to_xml_and_xmlschema', "select table_to_xml_and_xmlschema('invoices', true, false, '')"],
    ['ts_stat', "select * from ts_stat('select to_tsvector(title) from lesson_plans')"],
    ['ts_rewrite', "select ts_rewrite('a'::tsquery, 'select t, s from aliases')"],
    ['set_config', "select set_config('app.tenant_id', $1, true)"],
    ['pg_catalog.query_to_xml', "select pg_catalog.query_to_xml('select * from invoices', true, false, '')"],
    ['query_to_xml', "select id from invoices where tenant_id = $1 and exists (select query_to_xml('select 1', true, false, ''))"],
    ['dblink', "select * from dblink('dbname=postgres', 'select * from invoices') as t(id uuid)"],
  ])('%s', (name, sql) => {
    const error = refusal(sql);
    expect(error.code).toBe('TENANT_SCOPE');
    expect(error.reason).toBe('function');
    expect(error.message).toContain(`function ${name}()`);
  });

  it('cannot be allowed by an app', () => {
    expect(() => new QueryGuard({ tenantTables: [], allowFunctions: ['query_to_xml'] })).toThrow(/runs SQL text/);
    expect(() => new QueryGuard({ tenantTables: [], allowFunctions: ['public.ts_stat'] })).toThrow(/runs SQL text/);
    expect(() => new QueryGuard({ tenantTables: [], allowFunctions: ['set_config'] })).toThrow(/tenant context/);
  });
});
