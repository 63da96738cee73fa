import type { Sql } from 'postgres';
import type { Roles } from './config';
import { getTableName } from 'drizzle-orm';
import { REVOKED_FUNCTION_FAMILIES, REVOKED_FUNCTIONS, REVOKED_VIEWS } from './bootstrap';
import * as schema from './schema/index';
import { isTenantTable, tablesOf } from './schema/util/table-kinds';

/**
 * The privilege map (C15): every grant on our database, schemas, tables, columns and functions,
 * as lines `<grantee> <privilege> <object>`, and the built-ins revoked from PUBLIC. `db:check`
 * compares the live map with the declared one below and names every difference, so a grant
 * made by hand (or a revoke a migration forgot) fails the check.
 *
 * Roles appear by job (`app`, `auth`, `jobs`, `admin`, `owner`), so the map reads the same
 * whatever the role names. An object's owner is left out (it holds everything on its own
 * objects); pg-boss's per-queue partitions are folded into one name.
 */

type Job = keyof Roles;

const OWNER_TABLES = {
  // Tenant tables: the product role's DML (C5).
  customers: { app: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'], admin: ['SELECT'] },
  invoices: { app: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'], admin: ['SELECT'] },
  invoice_lines: { app: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'], admin: ['SELECT'] },
  lesson_plans: { app: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'], admin: ['SELECT'] },
  // The console reads every column but the hash (C16, COLUMN_GRANTS).
  api_tokens: { app: ['SELECT', 'INSERT', 'UPDATE'] },
  usage_counters: { app: ['SELECT', 'INSERT', 'UPDATE'], admin: ['SELECT'] },
  // Append-only (C10): content columns only, never the chain or the time.
  audit_events: { app: ['SELECT'], admin: ['SELECT'] },
  // The registry products resolve tenants from, read-only.
  tenants: { app: ['SELECT'], auth: ['SELECT'], admin: ['SELECT', 'INSERT', 'UPDATE'] },
  plans: { app: ['SELECT'], admin: ['SELECT', 'INSERT', 'UPDATE'] },
  // Rows of the current tenant only, through RLS policies for the product role.
  memberships: { app: ['SELECT'], auth: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'], admin: ['SELECT'] },
  users: { app: ['SELECT'], auth: ['SELECT', 'INSERT', 'DELETE'], admin: ['SELECT'] },
  // Credentials: the auth library's alone (no admin, no product).
  sessions: { auth: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] },
  accounts: { auth: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] },
  verifications: { auth: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] },
  // The console reads every column but the id, the invite link's secret (C16, COLUMN_GRANTS).
  invitations: { auth: ['SELECT', 'INSERT', 'UPDATE'] },
  signup_waitlist: { app: ['INSERT'], admin: ['SELECT'] },
  // Platform tables of the console (C11).
  platform_events: { admin: ['SELECT', 'INSERT'] },
  tenant_moves: { admin: ['SELECT'] },
  break_glass_grants: { admin: ['SELECT', 'INSERT'] },
} satisfies Record<string, Partial<Record<Job, string[]>>>;

const COLUMN_GRANTS: [Job, string, string, string[]][] = [
  // created_at too (0022): Citus sends the default explicitly; a trigger replaces whatever time
  // the app or the console gives (studio_audit_stamp).
  ['app', 'INSERT', 'audit_events', ['tenant_id', 'id', 'actor_id', 'action', 'target', 'payload', 'created_at']],
  ['admin', 'INSERT', 'audit_events', ['tenant_id', 'id', 'actor_id', 'action', 'target', 'payload', 'created_at']],
  ['auth', 'UPDATE', 'users', ['name', 'email', 'email_verified', 'image', 'updated_at']],
  ['admin', 'UPDATE', 'break_glass_grants', ['revoked_at']],
  ['admin', 'SELECT', 'api_tokens', ['tenant_id', 'id', 'created_at', 'name', 'prefix', 'scopes', 'created_by', 'last_used_at', 'revoked_at']],
  ['admin', 'SELECT', 'invitations', ['tenant_id', 'email', 'role', 'status', 'expires_at', 'inviter_id', 'created_at']],
];

/** pg-boss 10's tables; `<queue partition>` stands for the table create_queue() adds per queue. */
const JOBS_TABLES = ['job', 'queue', 'schedule', 'subscription', 'version', 'archive', '<queue partition>'];

export function declaredPrivileges({ citus = false }: { citus?: boolean } = {}): string[] {
  const lines: string[] = [];
  // On Citus the product role's users policy calls this instead of a sub-select (db:distribute).
  if (citus) lines.push('app EXECUTE function public.studio_member_of_current_tenant(uuid)');
  lines.push('owner CONNECT database', 'owner CREATE database', 'owner TEMPORARY database');
  for (const job of ['app', 'auth', 'jobs', 'admin'] as const) lines.push(`${job} CONNECT database`, `${job} USAGE schema public`);
  lines.push('owner USAGE schema public', 'owner CREATE schema public');
  // A tenant table no entry above names (a product's own, from `turbo gen product`) gets what
  // every product table gets: the product role's DML, the console's reads.
  const tables: Record<string, Partial<Record<Job, string[]>>> = { ...OWNER_TABLES };
  for (const table of tablesOf(schema).filter(isTenantTable)) {
    tables[getTableName(table)] ??= { app: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'], admin: ['SELECT'] };
  }
  for (const [table, grants] of Object.entries(tables)) {
    for (const [job, privileges] of Object.entries(grants)) for (const p of privileges) lines.push(`${job} ${p} table public.${table}`);
  }
  for (const [job, privilege, table, columns] of COLUMN_GRANTS) for (const c of columns) lines.push(`${job} ${privilege} column public.${table}.${c}`);
  // The queue: the jobs role works it, the console reads it.
  lines.push('jobs USAGE schema studio_jobs', 'admin USAGE schema studio_jobs');
  for (const t of JOBS_TABLES) {
    for (const p of ['SELECT', 'INSERT', 'UPDATE', 'DELETE']) lines.push(`jobs ${p} table studio_jobs.${t}`);
    lines.push(`admin SELECT table studio_jobs.${t}`);
  }
  lines.push('jobs EXECUTE function studio_jobs.create_queue(text,json)', 'jobs EXECUTE function studio_jobs.delete_queue(text)');
  // Functions of ours: the verifier for the product role, the seal for product and console.
  lines.push('app EXECUTE function public.studio_tenant()');
  // What the policies compare tenant_id with, and registering a signed value (migration 0020).
  lines.push('app SELECT table public.studio_current_tenant', 'app EXECUTE function public.studio_register_tenant_context(text)');
  lines.push('app EXECUTE function public.studio_audit_seal(integer)', 'admin EXECUTE function public.studio_audit_seal(integer)');
  // Trigger functions and the hash are executable by PUBLIC (Postgres' default); they run no SQL
  // text and a trigger function cannot be called directly.
  for (const fn of [
    'studio_audit_append_only()',
    'studio_audit_hash(text,uuid,bigint,timestamp with time zone,uuid,text,text,jsonb)',
    'studio_audit_stamp()',
    'studio_notify_tenant_change()',
    'studio_users_admin_flag()',
  ])
    lines.push(`PUBLIC EXECUTE function public.${fn}`);
  // Built-ins revoked from PUBLIC (bootstrap.ts), and who got them back.
  for (const sig of REVOKED_FUNCTIONS) {
    const to: Job[] = sig.includes('advisory') ? ['owner', 'jobs'] : sig.startsWith('pg_notify') ? ['owner', 'admin'] : ['owner'];
    for (const job of to) lines.push(`${job} EXECUTE function pg_catalog.${sig}`);
  }
  for (const family of REVOKED_FUNCTION_FAMILIES) for (const job of family.to) lines.push(`${job} EXECUTE function pg_catalog.${family.label}`);
  for (const view of REVOKED_VIEWS) lines.push(`owner SELECT table pg_catalog.${view}`, `admin SELECT table pg_catalog.${view}`);
  return [...new Set(lines)].sort();
}

/** The live map, in the same form. Connect as a role that can read the catalogs (any role can). */
export async function livePrivileges(sql: Sql, roles: Roles): Promise<string[]> {
  const jobOf = new Map<string, string>(Object.entries(roles).map(([job, role]) => [role.name, job]));
  const name = (grantee: string) => (grantee === '-' ? 'PUBLIC' : (jobOf.get(grantee) ?? `role:${grantee}`));
  // A family's members fold into one name ('<pg_stat_get_*>'): same grants for each.
  const familyCase = sql.unsafe(
    REVOKED_FUNCTION_FAMILIES.map((f) => `when n.nspname = 'pg_catalog' and p.proname ~ '${f.pattern}' then '${f.label}'`).join(' '),
  );
  const familyPattern = REVOKED_FUNCTION_FAMILIES.map((f) => `(${f.pattern})`).join('|');
  const rows = await sql<{ grantee: string; privilege: string; object: string }[]>`
    with acl as (
      select 'database' as object, a.grantee, a.privilege_type, d.datdba as owner
        from pg_database d, aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a
        where d.datname = current_database()
      union all
      select 'schema ' || n.nspname, a.grantee, a.privilege_type, n.nspowner
        from pg_namespace n, aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a
        where n.nspname in ('public', 'studio_private', 'studio_jobs')
      union all
      select 'table ' || n.nspname || '.' ||
          case when n.nspname = 'studio_jobs' and c.relname ~ '^j[0-9a-f]{56}$' then '<queue partition>' else c.relname end,
          a.grantee, a.privilege_type, c.relowner
        from pg_class c join pg_namespace n on n.oid = c.relnamespace,
          aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) a
        where c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
          and (n.nspname in ('public', 'studio_private', 'studio_jobs')
               or (n.nspname = 'pg_catalog' and c.relname::text = any(string_to_array(${REVOKED_VIEWS.join(" ")}, ' '))))
      union all
      select 'column ' || n.nspname || '.' || c.relname || '.' || t.attname, a.grantee, a.privilege_type, c.relowner
        from pg_attribute t join pg_class c on c.oid = t.attrelid join pg_namespace n on n.oid = c.relnamespace,
          aclexplode(t.attacl) a
        where t.attacl is not null and n.nspname in ('public', 'studio_private', 'studio_jobs')
      union all
      select 'function ' || n.nspname || '.' ||
          case ${familyCase} else replace(p.oid::regprocedure::text, n.nspname || '.', '') end,
          a.grantee, a.privilege_type, p.proowner
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace,
          aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
        where n.nspname in ('public', 'studio_private', 'studio_jobs')
          or (n.nspname = 'pg_catalog' and p.oid::regprocedure::text = any(string_to_array(${REVOKED_FUNCTIONS.join(" ")}, ' ')))
          or (n.nspname = 'pg_catalog' and p.proname ~ ${familyPattern})
    )
    select distinct case when acl.grantee = 0 then '-' else pg_get_userbyid(acl.grantee) end as grantee,
      acl.privilege_type as privilege, acl.object
    from acl
    where acl.grantee <> acl.owner
      and not exists (select 1 from pg_roles r where r.oid = acl.grantee and r.rolsuper)`;
  return [...new Set(rows.map((r) => `${name(r.grantee)} ${r.privilege} ${r.object}`))].sort();
}

/**
 * What differs: grants the map does not declare, and declared grants that are missing. A queue
 * partition exists only once a queue does, so its grants are checked when it is there.
 */
export function comparePrivileges(live: string[], declared: string[]): { extra: string[]; missing: string[] } {
  const have = new Set(live);
  const want = new Set(declared);
  return {
    extra: live.filter((l) => !want.has(l)),
    missing: declared.filter((d) => !have.has(d) && !d.endsWith('<queue partition>')),
  };
}
