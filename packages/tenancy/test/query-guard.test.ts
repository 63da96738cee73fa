import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { TenantScopeError, type TenantScopeReason } from '../src/errors';
import { QueryGuard } from '../src/guard/query-guard';
import { A, allowed, B, guard, refusal } from './regression/guard-fixture';

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
    ['EXPLAIN (it shows row estimates of every tenant; ANALYZE runs the statement)', 'explain select * from invoices where tenant_id = $1'],
    ['an unqualified tenant_id that could belong to either table', 'select * from invoices, customers where tenant_id = $1'],
    ['a filter written with a user-defined operator', 'select * from invoices where tenant_id operator(myschema.=) $1'],
  ])('%s', (_name, sql, params?: unknown[]) => {
    const error = refusal(sql, params);
    expect(error.code).toBe('TENANT_SCOPE');
    expect(error.message).toContain(sql);
  });

  it('says why, in `reason`', () => {
    expect(refusal('select * from invoices').reason).toBe('unscoped');
    expect(refusal('select * from invoices where tenant_id = $1', [B]).reason).toBe('unscoped');
    expect(refusal('commit').reason).toBe('statement');
    expect(refusal('selec * form invoices').reason).toBe('parse');
    expect(refusal("select set_config('app.tenant_id', $1, true)").reason).toBe('function');
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
    ['declared platform columns without a filter', 'select tenants.slug, plans.name from tenants join plans on plans.id = tenants.plan'],
    ['a statement without tables', 'select 1'],
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

describe('statement kinds: only one SELECT, INSERT, UPDATE or DELETE', () => {
  it.each([
    'explain analyze delete from invoices where tenant_id = $1',
    'copy invoices to stdout',
    'copy (select * from invoices where tenant_id = $1) to stdout',
    'show app.tenant_id',
    'reset app.tenant_id',
    "set local app.tenant_id = 'x'",
    "do $$ begin perform 1; end $$",
    'call some_procedure()',
    'prepare p as select * from invoices where tenant_id = $1',
    'execute p($1)',
    'deallocate p',
    'listen studio_tenant_changed',
    "notify studio_tenant_changed, 'x'",
    'lock table invoices',
    'alter role current_user set default_transaction_read_only = on',
    'create table x (id int)',
    'create temp table x as select * from invoices where tenant_id = $1',
    'grant select on invoices to public',
    'vacuum invoices',
    'declare c cursor for select * from invoices where tenant_id = $1',
    'merge into invoices i using customers c on false when not matched then do nothing',
    'select * into x from invoices where tenant_id = $1',
    'select * from invoices tablesample system (10) where tenant_id = $1',
    'select xmlelement(name a, number) from invoices where tenant_id = $1',
    "select * from xmltable('/a' passing '<a/>' columns x int)",
    'select 1; select 2',
  ])('%s', (sql) => {
    expect(refusal(sql).reason).toBe('statement');
  });
});

describe('functions, operators and casts: an allow-list', () => {
  // Dangerous ones, each for its own reason; unknown names are refused anyway.
  it.each([
    ['pg_advisory_lock', "select pg_advisory_lock(hashtextextended('studio.audit:' || $1, 0))"],
    ['pg_advisory_xact_lock', 'select pg_advisory_xact_lock(1)'],
    ['pg_try_advisory_lock', 'select pg_try_advisory_lock(1)'],
    ['pg_notify', "select pg_notify('studio_tenant_changed', $1)"],
    ['pg_sleep', 'select pg_sleep(30)'],
    ['pg_sleep_for', "select pg_sleep_for('1 minute')"],
    ['pg_read_file', "select pg_read_file('/etc/passwd')"],
    ['pg_read_binary_file', "select pg_read_binary_file('/etc/passwd')"],
    ['pg_ls_dir', "select pg_ls_dir('.')"],
    ['pg_stat_file', "select pg_stat_file('.')"],
    ['lo_import', "select lo_import('/etc/passwd')"],
    ['lo_get', 'select lo_get(1)'],
    ['pg_terminate_backend', 'select pg_terminate_backend(1)'],
    ['pg_cancel_backend', 'select pg_cancel_backend(1)'],
    ['pg_reload_conf', 'select pg_reload_conf()'],
    ['pg_rotate_logfile', 'select pg_rotate_logfile()'],
    ['nextval', "select nextval('invoices_seq')"],
    ['setval', "select setval('invoices_seq', 1)"],
    ['pg_stat_get_live_tuples', "select pg_stat_get_live_tuples('invoices'::text::oid)"],
    ['pg_get_viewdef', "select pg_get_viewdef('x')"],
    ['has_table_privilege', "select has_table_privilege('sessions', 'select')"],
    ['obj_description', "select obj_description(1, 'pg_class')"],
    ['current_setting', "select current_setting('app.tenant_id')"],
    ['version', 'select version()'],
    ['txid_current', 'select txid_current()'],
    ['pg_current_xact_id', 'select pg_current_xact_id()'],
    ['xpath', "select xpath('/a', '<a/>')"],
    ['to_regclass', "select to_regclass('pg_authid')"],
    ['dblink_exec', "select dblink_exec('dbname=x', 'drop table invoices')"],
    ['myschema.harmless', 'select myschema.harmless(number) from invoices where tenant_id = $1'],
    ['public.lower', 'select public.lower(number) from invoices where tenant_id = $1'],
    ['studio_audit_seal', 'select studio_audit_seal(1)'],
    ['pg_advisory_unlock_all', 'select id from invoices where tenant_id = $1 order by pg_advisory_unlock_all()'],
  ])('%s', (name, sql) => {
    const error = refusal(sql);
    expect(error.reason).toBe('function');
    expect(error.message).toContain(`function ${name}()`);
  });

  it.each([
    ['regclass', "select 'pg_authid'::regclass"],
    ['regclass', "select regclass 'pg_authid'"],
    ['regproc', "select cast('now' as regproc)"],
    ['regprocedure', "select 'now()'::regprocedure"],
    ['regoper', "select '+'::regoper"],
    ['regnamespace', "select 'pg_catalog'::pg_catalog.regnamespace"],
    ['regrole', "select 'postgres'::regrole"],
    ['regconfig', "select 'english'::regconfig"],
    ['regtype', 'select $1::regtype'],
    ['xml', "select '<a/>'::xml"],
    ['myschema.mytype', "select 'x'::myschema.mytype"],
  ])('a cast to %s', (type, sql) => {
    const error = refusal(sql);
    expect(error.reason).toBe('function');
    expect(error.message).toContain(`cast to ${type}`);
  });

  it.each([
    ['current_user', 'select current_user'],
    ['session_user', 'select session_user'],
    ['current_schema', 'select current_schema'],
    ['operator myschema.=', 'select * from invoices where tenant_id = $1 and number operator(myschema.=) $2'],
    ['operator myschema.<', 'select * from invoices where tenant_id = $1 order by number using operator(myschema.<)'],
    ['operator myschema.=', 'select * from invoices where tenant_id = $1 and number = any (select 1) and number operator(myschema.=) any (array[$2])'],
  ])('%s', (name, sql) => {
    const error = refusal(sql);
    expect(error.reason).toBe('function');
    expect(error.message).toContain(name);
  });

  it.each([
    ['date and time', "select date_trunc('month', now() at time zone 'UTC')::date, extract(epoch from created_at), current_date, age(now(), created_at), make_interval(days => 3), to_char(created_at, 'YYYY') from invoices where tenant_id = $1"],
    ['pg_catalog-qualified built-ins', 'select pg_catalog.lower(number), pg_catalog.count(*) from invoices where tenant_id = $1 group by 1'],
    ['strings', "select lower(number), upper(number), trim(both ' ' from number), substring(number from 2 for 3), position('a' in number), replace(number, 'a', 'b'), concat_ws('-', number, currency), left(number, 2), split_part(number, '-', 1), regexp_replace(number, '[0-9]', '', 'g'), length(number) from invoices where tenant_id = $1"],
    ['conditional expressions', "select coalesce(notes, ''), nullif(notes, ''), greatest(amount_cents, 0), least(amount_cents, 10), case when amount_cents > 0 then 'x' end from invoices where tenant_id = $1"],
    ['aggregates and windows', "select count(*), sum(amount_cents), avg(amount_cents), array_agg(id order by created_at), string_agg(number, ','), bool_or(amount_cents > 0), row_number() over (order by created_at), lag(number) over w from invoices where tenant_id = $1 window w as (order by created_at)"],
    ['json', "select jsonb_build_object('n', number), json_agg(json_build_array(id, number)), to_jsonb(i), payload->>'x', payload #> '{a}' from invoices i where i.tenant_id = $1 group by i.id"],
    ['full-text search', "select ts_rank(to_tsvector('english', title), websearch_to_tsquery('english', $2)) from lesson_plans where tenant_id = $1 and to_tsvector(title) @@ plainto_tsquery($2)"],
    ['set-returning functions in FROM', 'select i.id, g from invoices i, generate_series(1, 3) g, unnest(array[1, 2]) with ordinality u(x, n) where i.tenant_id = $1'],
    ['a function in FROM with a column definition list', 'select r.id from jsonb_to_recordset($2::jsonb) as r(id uuid, n int)'],
    ['LIKE, ILIKE, SIMILAR TO, BETWEEN, IS DISTINCT FROM', "select id from invoices where tenant_id = $1 and number like 'a%' escape '!' and number ilike $2 and number similar to 'a%' and amount_cents between 1 and 5 and notes is distinct from 'x'"],
    ['casts to ordinary types', "select $2::uuid, '1'::int, '{}'::jsonb, timestamptz 'epoch' + $3::bigint * interval '1 microsecond', 'draft'::invoice_status, 'x'::public.invoice_status, array[1]::int[]"],
    ['ids and arrays', 'select gen_random_uuid(), array_length(array[1], 1), cardinality(array[1]), array_position(array[1], 1)'],
    ['FOR UPDATE of a tenant table', 'select id from lesson_plans where tenant_id = $1 for update of lesson_plans skip locked'],
    ['a recursive CTE', 'with recursive r(n) as (select 1 union all select n + 1 from r where n < 3) select n from r'],
    ['a data-modifying CTE', 'with d as (delete from invoices where tenant_id = $1 returning id) insert into audit_events (tenant_id, action, target) select $1, $2, id::text from d'],
  ])('%s', (_name, sql) => {
    expect(() => allowed(sql, [A, 'x', '1', 'y'])).not.toThrow();
  });

  it('lets an app add functions, and refuses the ones no app may add', () => {
    const withHash = new QueryGuard({ tenantTables: ['audit_events'], allowFunctions: ['studio_audit_hash', 'reports.safe_total'] });
    expect(() => withHash.check('select studio_audit_hash(prev_hash, tenant_id, seq, created_at, actor_id, action, target, payload) from audit_events where tenant_id = $1', [A], A)).not.toThrow();
    expect(() => withHash.check('select reports.safe_total(1)', [], A)).not.toThrow();
    expect(() => withHash.check('select safe_total(1)', [], A)).toThrow(/safe_total\(\) is not on the guard's allow-list/);
    expect(() => guard.check('select studio_audit_hash(1)', [], A)).toThrow(/add it to allowFunctions/);
    for (const name of ['table_to_xml', 'pg_catalog.cursor_to_xml', 'pg_advisory_lock', 'pg_sleep', 'dblink_connect', 'lo_import', 'pg_read_file', 'nextval', 'pg_terminate_backend']) {
      expect(() => new QueryGuard({ tenantTables: [], allowFunctions: [name] }), name).toThrow(/can never be allowed/);
    }
  });
});

describe('the SQL the products and the package send', () => {
  // Recorded from apps/lessons/src/lessons.ts, apps/invoices (lists, dashboard, actions),
  // packages/auth/src/tokens.ts and the package's audit, metering and sealer, built by drizzle
  // through a scoped client: the allow-list must accept all of it.
  const guardOfTheApps = new QueryGuard({
    tenantTables: ['invoices', 'customers', 'lesson_plans', 'audit_events', 'usage_counters', 'api_tokens'],
    platformReadable: { tenants: ['id', 'slug', 'name', 'status', 'status_reason', 'placement', 'branding', 'plan'] },
    allowFunctions: ['studio_audit_hash', 'studio_audit_seal'],
  });
  beforeAll(() => guardOfTheApps.ready());

  it.each([
    'select "id", "title", "subject", "author_id", "shared", "updated_at" from "lesson_plans" where ("lesson_plans"."tenant_id" = $1 and ("lesson_plans"."author_id" = $2 or "lesson_plans"."shared" = $3)) order by "lesson_plans"."updated_at" desc, "lesson_plans"."id" desc limit $4',
    'select "id", "title", "subject", "body", "author_id", "shared", "created_at", "updated_at" from "lesson_plans" where ("lesson_plans"."tenant_id" = $1 and ("lesson_plans"."id" = $2 and ("lesson_plans"."author_id" = $3 or "lesson_plans"."shared" = $4))) limit $5 for update',
    'insert into "lesson_plans" ("tenant_id", "id", "created_at", "title", "subject", "body", "author_id", "shared", "updated_at") values ($1, $2, default, $3, $4, $5, $6, $7, default)',
    'select "tenant_id", "id", "created_at", "actor_id", "action", "target", "payload", "seq", "prev_hash", "hash", (extract(epoch from "created_at") * 1000000)::bigint::text from "audit_events" where ("audit_events"."tenant_id" = $1 and ("audit_events"."action" = $2 and ("audit_events"."created_at", "audit_events"."id") < (timestamptz \'epoch\' + $3::bigint * interval \'1 microsecond\', $4::uuid))) order by "audit_events"."created_at" desc, "audit_events"."id" desc limit $5',
    'insert into "audit_events" ("tenant_id", "actor_id", "action", "target", "payload") values ($1, $2, $3, $4, $5::jsonb)',
    'select studio_audit_seal($1::int) as sealed',
    'insert into "usage_counters" ("tenant_id", "metric", "period", "quantity") values ($1, $2, (date_trunc(\'month\', now() at time zone \'UTC\'))::date, $3) on conflict ("tenant_id", "metric", "period") do update set "quantity" = "usage_counters"."quantity" + excluded."quantity", "updated_at" = now()',
    'update "api_tokens" set "revoked_at" = now() where ("api_tokens"."tenant_id" = $1 and ("api_tokens"."id" = $2 and "api_tokens"."revoked_at" is null)) returning "id", "name"',
    'select "invoices"."id", "invoices"."number", "customers"."name", (extract(epoch from "invoices"."created_at") * 1000000)::bigint::text from "invoices" inner join "customers" on ("customers"."tenant_id" = $1 and ("customers"."tenant_id" = "invoices"."tenant_id" and "customers"."id" = "invoices"."customer_id")) where ("invoices"."tenant_id" = $2 and (("invoices"."number" ilike $3 or "customers"."name" ilike $4) and "invoices"."status" = $5 and ("invoices"."created_at", "invoices"."id") < (timestamptz \'epoch\' + $6::bigint * interval \'1 microsecond\', $7::uuid))) order by "invoices"."created_at" desc, "invoices"."id" desc limit $8',
    'select "id" from "customers" where ("customers"."tenant_id" = $1 and (("customers"."name" ilike $2 or "customers"."email" ilike $3) and ("customers"."name", "customers"."id") > ($4, $5::uuid))) order by "customers"."name" asc, "customers"."id" asc limit $6',
    'select "status", "currency", count(*), coalesce(sum("amount_cents"), 0)::text from "invoices" where "invoices"."tenant_id" = $1 group by "invoices"."status", "invoices"."currency" order by "invoices"."status", "invoices"."currency"',
    'select distinct "status" from "invoices" where "invoices"."tenant_id" = $1',
    'select "slug" from "tenants"',
    `with chain as (
      select id, seq, prev_hash, hash,
        studio_audit_hash(prev_hash, tenant_id, seq, created_at, actor_id, action, target, payload) as expected,
        lag(hash) over (order by seq) as previous_hash,
        lag(seq) over (order by seq) as previous_seq
      from audit_events where tenant_id = $1 and seq is not null
    ), broken as (
      select id, seq,
        case when hash is distinct from expected then 'hash'
             when seq <> coalesce(previous_seq, 0) + 1 then 'gap'
             when prev_hash is distinct from previous_hash then 'link' end as problem
      from chain
    )
    select (select count(*)::int from chain) as events,
      (select count(*)::int from audit_events where tenant_id = $2 and seq is null) as unsealed,
      b.seq::text as seq, b.id::text as id, b.problem
    from (select 1) one
    left join lateral (select * from broken where problem is not null order by seq limit 1) b on true`,
  ])('%s', (sql) => {
    const params = Array.from({ length: 10 }, () => A);
    expect(() => guardOfTheApps.check(sql, params, A)).not.toThrow();
  });
});

describe('properties', () => {
  // Places an expression (with a sub-select) can go: the guard must find it in each.
  const places = [
    (e: string) => `select ${e} from invoices where tenant_id = $1`,
    (e: string) => `select id from invoices where tenant_id = $1 and ${e} is not null`,
    (e: string) => `select id from invoices where tenant_id = $1 order by ${e}`,
    (e: string) => `select id from invoices where tenant_id = $1 limit ${e}`,
    (e: string) => `select count(*) from invoices where tenant_id = $1 group by id having count(*) > ${e}`,
    (e: string) => `select sum(amount_cents) filter (where ${e} is null) over (partition by ${e}) from invoices where tenant_id = $1`,
    (e: string) => `update invoices set notes = ${e} where tenant_id = $1 returning ${e}`,
    (e: string) => `delete from invoices where tenant_id = $1 returning ${e}`,
    (e: string) => `insert into invoices (tenant_id, notes) values ($1, ${e}) on conflict (tenant_id, id) do update set notes = ${e}`,
    (e: string) => `insert into invoices (tenant_id, notes) values ($1, 'x') limit ${e}`,
    (e: string) => `insert into invoices (tenant_id, notes) select $1, ${e}`,
    (e: string) => `with x as (select ${e} as v) select v from x`,
    (e: string) => `select * from (select ${e} as v) x`,
    (e: string) => `select * from generate_series(1, ${e})`,
    (e: string) => `select coalesce(${e}, 0), array[${e}], row(${e}), case when true then ${e} end`,
  ];
  const wrap = fc.array(fc.constantFrom('coalesce(%, 0)', '(%)', 'abs(%)', '% + 1', 'greatest(%, 1)', '(select %)'), { maxLength: 3 });
  const nest = (inner: string, wrappers: string[]) => wrappers.reduce((e, w) => w.replace('%', e), inner);

  it('refuses an unfiltered sub-select wherever it is nested', () => {
    fc.assert(
      fc.property(fc.constantFrom(...places), fc.constantFrom('invoices', 'customers', 'lesson_plans'), wrap, (place, table, wrappers) => {
        const sql = place(nest(`(select count(*) from ${table})`, wrappers));
        expect(refusal(sql).reason).toBe('unscoped');
      }),
      { numRuns: 300 },
    );
  });

  it('lets the same statements through with the sub-select filtered', () => {
    fc.assert(
      fc.property(fc.constantFrom(...places), fc.constantFrom('invoices', 'customers', 'lesson_plans'), wrap, (place, table, wrappers) => {
        expect(() => allowed(place(nest(`(select count(*) from ${table} where tenant_id = $1)`, wrappers)))).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a forbidden function, relation or cast wherever it is nested', () => {
    const bad: [string, TenantScopeReason][] = [
      ["query_to_xml('select 1', true, false, '')", 'function'],
      ["pg_advisory_lock(1)", 'function'],
      ["'pg_class'::regclass::int", 'function'],
      ['(select count(*) from pg_stat_user_tables)', 'relation'],
      ['(select count(*) from sessions)', 'relation'],
      ['(select max(logo) from tenants)', 'column'],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...places), fc.constantFrom(...bad), wrap, (place, [expr, reason], wrappers) => {
        expect(refusal(place(nest(expr, wrappers))).reason).toBe(reason);
      }),
      { numRuns: 300 },
    );
  });

  it('answers any text with a verdict or a TenantScopeError, never another error', () => {
    const token = fc.constantFrom(
      'select', 'insert', 'into', 'update', 'delete', 'from', 'where', 'with', 'as', 'values', 'set', 'returning', 'limit', 'order by',
      'invoices', 'customers', 'tenants', 'pg_class', 'x', 'tenant_id', '=', '$1', '(', ')', ',', '*', 'and', 'or', 'not', '1', "'a'",
      'count(*)', 'lower(x)', 'query_to_xml(x)', '::regclass', 'join', 'on', 'lateral', 'union', ';',
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 25 }), (tokens) => {
        try {
          guard.check(tokens.join(' '), [A], A);
        } catch (error) {
          expect(error).toBeInstanceOf(TenantScopeError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
