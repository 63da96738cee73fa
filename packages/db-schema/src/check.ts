import { readFileSync } from 'node:fs';
import path from 'node:path';
import { getTableConfig } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import type { Roles } from './config';
import { CITUS_TENANT_POLICY } from './distribute';
import { migrationsFolder } from './migrate';
import { comparePrivileges, declaredPrivileges, livePrivileges } from './privileges';
import { contextKeyId, DEV_TENANT_CONTEXT_KEY } from './tenant-context';
import * as schema from './schema/index';
import { TENANT_POLICY_NAME } from './schema/util/tenant-table';
import { getTableKind, tablesOf } from './schema/util/table-kinds';

/**
 * `db:check`: compares a live database with what the contract requires (C5). Run at start and in
 * tests; any failed check means isolation cannot be trusted on that database.
 */

export interface CheckResult {
  check: string;
  ok: boolean;
  detail: string;
}

export interface CheckOptions {
  /** Any URL that can read the catalogs of the database (owner or superuser). */
  url: string;
  roles: Roles;
}

interface RoleRow {
  rolname: string;
  rolsuper: boolean;
  rolbypassrls: boolean;
  rolcanlogin: boolean;
}

/**
 * Exactly `tenant_id = (select tenant_id from studio_current_tenant)` as Postgres prints it back:
 * a policy that merely mentions the view (`... or true`) is not the contract.
 */
function isCurrentTenantFilter(expression: string | null | undefined, citus: boolean): boolean {
  const flat = (expression ?? '').replace(/\s+/g, ' ').trim();
  // On Citus (db:distribute), which refuses any sub-select in a policy: the verifier itself.
  if (citus) return flat === CITUS_TENANT_POLICY;
  return flat === '(tenant_id = ( SELECT studio_current_tenant.tenant_id FROM studio_current_tenant))';
}

export async function checkDatabase({ url, roles }: CheckOptions): Promise<CheckResult[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const results: CheckResult[] = [];
  const add = (check: string, ok: boolean, detail: string) => results.push({ check, ok, detail });
  try {
    // A Citus database (db:distribute) has its own policy shape; everything else is checked the same.
    const [extension] = await sql<{ n: number }[]>`select count(*)::int as n from pg_extension where extname = 'citus'`;
    const citus = (extension?.n ?? 0) > 0;
    // Migrations: every checked-in migration applied.
    const journal = JSON.parse(readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as {
      entries: unknown[];
    };
    const [applied] = await sql<{ n: number }[]>`
      select case when to_regclass('drizzle.__drizzle_migrations') is null then -1
        else (select count(*)::int from drizzle.__drizzle_migrations) end as n`;
    const appliedCount = applied?.n ?? -1;
    add(
      'migrations applied',
      appliedCount === journal.entries.length,
      appliedCount < 0
        ? 'no migrations table: run pnpm db:migrate'
        : `${appliedCount} of ${journal.entries.length}${appliedCount < journal.entries.length ? ': run pnpm db:migrate' : ''}`,
    );

    // RLS-mode tables: enabled, forced, and our policy with USING and WITH CHECK.
    const rlsTables = tablesOf(schema)
      .filter((table) => {
        const kind = getTableKind(table);
        return kind?.kind === 'tenant' && kind.rls;
      })
      .map((table) => getTableConfig(table).name);
    const classes = await sql<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean; owner: string }[]>`
      select c.relname, c.relrowsecurity, c.relforcerowsecurity, pg_get_userbyid(c.relowner) as owner
      from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')`;
    const policies = await sql<{ tablename: string; permissive: string; cmd: string; qual: string | null; with_check: string | null }[]>`
      select tablename, permissive, cmd, qual, with_check from pg_policies
      where schemaname = 'public' and policyname = ${TENANT_POLICY_NAME}`;
    for (const name of rlsTables) {
      const row = classes.find((c) => c.relname === name);
      if (!row) {
        add(`table ${name}`, false, 'missing: run pnpm db:migrate');
        continue;
      }
      add(`rls enabled: ${name}`, row.relrowsecurity, row.relrowsecurity ? 'ENABLE ROW LEVEL SECURITY' : 'row security is off');
      add(
        `rls forced: ${name}`,
        row.relforcerowsecurity,
        row.relforcerowsecurity ? 'FORCE ROW LEVEL SECURITY' : 'not forced: the table owner bypasses the policy',
      );
      const policy = policies.find((p) => p.tablename === name);
      const policyOk =
        !!policy &&
        policy.permissive === 'PERMISSIVE' &&
        policy.cmd === 'ALL' &&
        isCurrentTenantFilter(policy.qual, citus) &&
        isCurrentTenantFilter(policy.with_check, citus);
      add(
        `policy: ${name}`,
        policyOk,
        policyOk
          ? `${TENANT_POLICY_NAME} (USING + WITH CHECK on the signed context, ${citus ? 'studio_tenant(): Citus' : 'studio_current_tenant'})`
          : `${TENANT_POLICY_NAME} missing or incomplete`,
      );
    }
    // Any other policy on an RLS table could OR in extra rows.
    const extra = await sql<{ tablename: string; policyname: string }[]>`
      select tablename, policyname from pg_policies
      where schemaname = 'public' and tablename = any(${sql.array(rlsTables)}) and policyname <> ${TENANT_POLICY_NAME}`;
    add(
      'no extra policies',
      extra.length === 0,
      extra.length === 0 ? 'only tenant_isolation' : extra.map((p) => `${p.tablename}.${p.policyname}`).join(', '),
    );

    // Roles (C5, C11).
    const roleRows = await sql<RoleRow[]>`
      select rolname, rolsuper, rolbypassrls, rolcanlogin from pg_roles
      where rolname in (${roles.owner.name}, ${roles.app.name}, ${roles.admin.name})`;
    const app = roleRows.find((r) => r.rolname === roles.app.name);
    const admin = roleRows.find((r) => r.rolname === roles.admin.name);
    add(`app role ${roles.app.name} exists`, !!app?.rolcanlogin, app ? (app.rolcanlogin ? 'LOGIN' : 'cannot log in') : 'missing');
    if (app) {
      add('app role is not superuser', !app.rolsuper, app.rolsuper ? 'SUPERUSER bypasses RLS' : 'NOSUPERUSER');
      add('app role does not bypass RLS', !app.rolbypassrls, app.rolbypassrls ? 'BYPASSRLS is set' : 'NOBYPASSRLS');
      const owned = classes.filter((c) => c.owner === roles.app.name).map((c) => c.relname);
      add('app role owns no table', owned.length === 0, owned.length === 0 ? 'owns nothing' : `owns ${owned.join(', ')}`);
      const [member] = await sql<{ inherits: boolean }[]>`
        select exists (
          select 1 from pg_roles r
          where r.rolname <> ${roles.app.name}
            and (r.rolsuper or r.rolbypassrls or r.rolname = ${roles.owner.name})
            and pg_has_role(${roles.app.name}, r.oid, 'MEMBER')
        ) as inherits`;
      add(
        'app role cannot become owner or superuser',
        !member?.inherits,
        member?.inherits ? 'member of the owner, a superuser or a BYPASSRLS role' : 'no such membership',
      );
    }
    add(
      `admin role ${roles.admin.name}`,
      !!admin && admin.rolbypassrls && !admin.rolsuper,
      admin ? `${admin.rolbypassrls ? 'BYPASSRLS' : 'no BYPASSRLS'}, ${admin.rolsuper ? 'SUPERUSER' : 'NOSUPERUSER'}` : 'missing',
    );
    // C15: the auth and jobs roles are bound like the app role.
    for (const job of ['auth', 'jobs'] as const) {
      const [row] = await sql<RoleRow[]>`select rolname, rolsuper, rolbypassrls, rolcanlogin from pg_roles where rolname = ${roles[job].name}`;
      add(
        `${job} role ${roles[job].name}`,
        !!row && row.rolcanlogin && !row.rolsuper && !row.rolbypassrls,
        row ? `${row.rolsuper ? 'SUPERUSER' : 'NOSUPERUSER'}, ${row.rolbypassrls ? 'BYPASSRLS' : 'NOBYPASSRLS'}` : 'missing: run pnpm db:migrate as a superuser',
      );
    }

    // C15: every grant is one the privilege map declares, and every declared grant is there.
    const drift = comparePrivileges(await livePrivileges(sql, roles), declaredPrivileges({ citus }));
    for (const line of drift.extra) add(`undeclared grant: ${line}`, false, 'not in the privilege map (src/privileges.ts): revoke it, or declare it with a reason');
    for (const line of drift.missing) {
      const builtin = line.includes('pg_catalog.');
      add(
        `missing grant: ${line}`,
        false,
        builtin ? 'the revokes on built-ins need a superuser: run pnpm db:migrate as one' : 'declared but not granted: run pnpm db:migrate',
      );
    }
    // Settings a role gave itself apply wherever a pool does not pin them (C15).
    const settings = await sql<{ rolname: string; database: string | null; setconfig: string[] }[]>`
      select r.rolname, d.datname as database, s.setconfig from pg_db_role_setting s
      join pg_roles r on r.oid = s.setrole left join pg_database d on d.oid = s.setdatabase
      where r.rolname in (${roles.app.name}, ${roles.auth.name}, ${roles.jobs.name})
        and (s.setdatabase = 0 or d.datname = current_database())`;
    add(
      'no role-level settings on app, auth and jobs',
      settings.length === 0,
      settings.length === 0 ? 'none' : settings.map((r) => `${r.rolname}: ${r.setconfig.join(', ')} (ALTER ROLE ${r.rolname} RESET ALL)`).join('; '),
    );
    // The maintenance databases, where this database's revokes do not apply.
    const reach = await sql<{ rolname: string; datname: string }[]>`
      select r.rolname, d.datname from pg_roles r, pg_database d
      where r.rolname in (${roles.app.name}, ${roles.auth.name}, ${roles.jobs.name})
        and d.datname in ('postgres', 'template1') and has_database_privilege(r.oid, d.oid, 'CONNECT')`;
    add(
      'app, auth and jobs cannot connect to postgres or template1',
      reach.length === 0,
      reach.length === 0 ? 'CONNECT revoked from PUBLIC there' : `${reach.map((r) => `${r.rolname} -> ${r.datname}`).join(', ')}: run pnpm db:migrate as a superuser`,
    );
    // The public dev key next to a real one: somebody migrated without TENANT_CONTEXT_KEY.
    const keys = await sql<{ kid: string }[]>`
      select kid from studio_private.context_keys where has_schema_privilege('studio_private', 'USAGE')`.catch(() => []);
    const devKid = contextKeyId(DEV_TENANT_CONTEXT_KEY);
    const devBesideReal = keys.length > 1 && keys.some((k) => k.kid === devKid);
    add(
      'the development context key is not trusted beside a real one',
      !devBesideReal,
      devBesideReal ? `delete from studio_private.context_keys where kid = '${devKid}'` : `${keys.length} key(s)`,
    );

    if (drift.extra.length === 0 && drift.missing.length === 0) add('privilege map', true, 'every grant as declared (src/privileges.ts)');

    const strangers = classes.filter((c) => c.owner !== roles.owner.name).map((c) => `${c.relname} (${c.owner})`);
    add(
      `tables owned by ${roles.owner.name}`,
      strangers.length === 0,
      strangers.length === 0 ? `${classes.length} tables` : `other owners: ${strangers.join(', ')}`,
    );
  } finally {
    await sql.end();
  }
  return results;
}
