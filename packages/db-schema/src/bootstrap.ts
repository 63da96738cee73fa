import type { Sql } from 'postgres';
import type { RoleSpec, Roles } from './config';

/**
 * Cluster- and database-level set-up that migrations cannot carry: the roles with their
 * attributes and passwords, access to the database and its schema, and the revokes on built-ins
 * only a superuser may make. Needs a superuser; with a lesser user it only checks that the roles
 * exist and says what to run when they do not (db:check then reports the missing revokes).
 */

const attributes: Record<keyof Roles, string> = {
  owner: 'LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE',
  // C5: the app role may never skip row-level security.
  app: 'LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT',
  // C15: the auth library and the job queue each have their own role, bound by RLS like the app.
  auth: 'LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT',
  jobs: 'LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT',
  // C11: the admin role reads across tenants, and nothing else special.
  admin: 'LOGIN NOSUPERUSER BYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT',
};

export class RoleSetupError extends Error {
  readonly code = 'DATABASE_ROLES_MISSING';
  constructor(message: string) {
    super(message);
    this.name = 'RoleSetupError';
  }
}

/** Errors that two bootstraps racing on one cluster may raise; the retry then finds the work done. */
const raceCodes = new Set(['42710', '23505', 'XX000', '40001', '40P01']);

async function withRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= 5 || !code || !raceCodes.has(code)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

/** Runs a statement built by Postgres' own format(): %I quotes identifiers, %L literals. */
async function execFormatted(sql: Sql, template: string, ...args: string[]): Promise<void> {
  // The arguments travel as JSON: postgres.js sends a one-element array as a bare string.
  const [row] = await sql<{ q: string }[]>`
    select format(${template}, variadic array(select json_array_elements_text(${JSON.stringify(args)}::text::json))) as q`;
  await sql.unsafe(row!.q);
}

export async function currentUserIsSuperuser(sql: Sql): Promise<{ name: string; superuser: boolean }> {
  const [me] = await sql<{ name: string; superuser: boolean }[]>`
    select current_user as name, rolsuper as superuser from pg_roles where rolname = current_user`;
  return me!;
}

export async function ensureRoles(sql: Sql, roles: Roles): Promise<void> {
  const me = await currentUserIsSuperuser(sql);
  const entries = Object.entries(roles) as [keyof Roles, RoleSpec][];
  if (!me.superuser) {
    const names = entries.map(([, role]) => role.name);
    const found = await sql<{ rolname: string }[]>`select rolname from pg_roles where rolname = any(${sql.array(names)})`;
    const missing = entries.filter(([, role]) => !found.some((row) => row.rolname === role.name));
    if (missing.length > 0) {
      const statements = missing.map(([kind, role]) => `  CREATE ROLE ${role.name} ${attributes[kind]} PASSWORD '...';`);
      throw new RoleSetupError(
        `The database roles ${missing.map(([, r]) => r.name).join(', ')} do not exist and ${me.name} is not a superuser, ` +
          `so they cannot be created here. Ask a superuser to run:\n${statements.join('\n')}`,
      );
    }
    return;
  }
  for (const [kind, role] of entries) {
    await withRetry(async () => {
      const [exists] = await sql`select 1 from pg_roles where rolname = ${role.name}`;
      if (!exists) await execFormatted(sql, `CREATE ROLE %I ${attributes[kind]} PASSWORD %L`, role.name, role.password);
      else await execFormatted(sql, `ALTER ROLE %I ${attributes[kind]} PASSWORD %L`, role.name, role.password);
    });
  }
}

/**
 * Lets the owner create objects in the database and the other roles connect and use the schema.
 * Nobody else gets TEMPORARY (a temp table or function can shadow a name in an unqualified
 * SECURITY DEFINER body), nor CREATE or USAGE in public: each role is granted what it uses.
 */
export async function grantDatabaseAccess(sql: Sql, database: string, roles: Roles): Promise<void> {
  const users = [roles.app.name, roles.auth.name, roles.jobs.name, roles.admin.name];
  await withRetry(async () => {
    await execFormatted(sql, 'REVOKE ALL ON DATABASE %I FROM PUBLIC', database);
    await execFormatted(sql, 'REVOKE ALL ON SCHEMA public FROM PUBLIC');
    await execFormatted(sql, 'GRANT CONNECT, CREATE, TEMPORARY ON DATABASE %I TO %I', database, roles.owner.name);
    await execFormatted(sql, 'GRANT USAGE, CREATE ON SCHEMA public TO %I', roles.owner.name);
    for (const user of users) {
      await execFormatted(sql, 'GRANT CONNECT ON DATABASE %I TO %I', database, user);
      await execFormatted(sql, 'GRANT USAGE ON SCHEMA public TO %I', user);
    }
  });
  await hardenBuiltins(sql, roles);
  await closeMaintenanceDatabases(sql);
}

/**
 * Every role may connect to `postgres` and `template1` by default, where none of this
 * database's revokes apply (pg_stat_activity of the whole server, pg_terminate_backend of a
 * session of one's own role). Only superusers need them. Superuser only, like the revokes.
 */
export const MAINTENANCE_DATABASES = ['postgres', 'template1'] as const;

async function closeMaintenanceDatabases(sql: Sql): Promise<void> {
  const me = await currentUserIsSuperuser(sql);
  if (!me.superuser) return;
  await withRetry(async () => {
    for (const database of MAINTENANCE_DATABASES) {
      const [exists] = await sql`select 1 from pg_database where datname = ${database}`;
      if (exists) await execFormatted(sql, 'REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', database);
    }
  });
}

/**
 * Built-ins that run SQL text, signal backends, take advisory locks or show other sessions and
 * the platform's row counts: PUBLIC may execute or read them by default, so the product role
 * could call them from any statement the guard missed. Revoked from PUBLIC in this database;
 * the owner (migrations, the audit seal's lock), the jobs role (pg-boss locks its maintenance)
 * and the admin role (the console changes tenants, whose trigger notifies) get back what they
 * use. Superuser only.
 */
export const REVOKED_FUNCTIONS = [
  'query_to_xml(text,boolean,boolean,text)',
  'query_to_xmlschema(text,boolean,boolean,text)',
  'query_to_xml_and_xmlschema(text,boolean,boolean,text)',
  'cursor_to_xml(refcursor,integer,boolean,boolean,text)',
  'cursor_to_xmlschema(refcursor,boolean,boolean,text)',
  'table_to_xml(regclass,boolean,boolean,text)',
  'table_to_xmlschema(regclass,boolean,boolean,text)',
  'table_to_xml_and_xmlschema(regclass,boolean,boolean,text)',
  'schema_to_xml(name,boolean,boolean,text)',
  'schema_to_xmlschema(name,boolean,boolean,text)',
  'schema_to_xml_and_xmlschema(name,boolean,boolean,text)',
  'database_to_xml(boolean,boolean,text)',
  'database_to_xmlschema(boolean,boolean,text)',
  'database_to_xml_and_xmlschema(boolean,boolean,text)',
  'ts_stat(text)',
  'ts_stat(text,text)',
  'ts_rewrite(tsquery,text)',
  'pg_advisory_lock(bigint)',
  'pg_advisory_lock(integer,integer)',
  'pg_advisory_lock_shared(bigint)',
  'pg_advisory_lock_shared(integer,integer)',
  'pg_try_advisory_lock(bigint)',
  'pg_try_advisory_lock(integer,integer)',
  'pg_try_advisory_lock_shared(bigint)',
  'pg_try_advisory_lock_shared(integer,integer)',
  'pg_advisory_xact_lock(bigint)',
  'pg_advisory_xact_lock(integer,integer)',
  'pg_advisory_xact_lock_shared(bigint)',
  'pg_advisory_xact_lock_shared(integer,integer)',
  'pg_try_advisory_xact_lock(bigint)',
  'pg_try_advisory_xact_lock(integer,integer)',
  'pg_try_advisory_xact_lock_shared(bigint)',
  'pg_try_advisory_xact_lock_shared(integer,integer)',
  'pg_notify(text,text)',
  'pg_cancel_backend(integer)',
  'pg_terminate_backend(integer,bigint)',
] as const;

/**
 * Families revoked by name pattern: the statistics functions under the pg_stat_* views (one of
 * them, pg_stat_get_live_tuples, gives every table's row count; others show other sessions'
 * queries), and the large-object functions (objects outside any tenant, filling storage).
 */
export const REVOKED_FUNCTION_FAMILIES = [
  { label: '<pg_stat_get_*>', pattern: '^pg_stat_get_', to: ['owner', 'admin'] },
  { label: '<large objects>', pattern: '^(lo_|loread$|lowrite$)', to: ['owner'] },
] as const;

/** System views with other sessions' queries or every table's row counts. */
export const REVOKED_VIEWS = [
  'pg_stat_activity',
  'pg_stat_all_tables',
  'pg_stat_user_tables',
  'pg_stat_xact_all_tables',
  'pg_stat_xact_user_tables',
  'pg_statio_all_tables',
  'pg_statio_user_tables',
  'pg_stat_all_indexes',
  'pg_stat_user_indexes',
  'pg_statio_all_indexes',
  'pg_statio_user_indexes',
  'pg_stats',
] as const;

async function hardenBuiltins(sql: Sql, roles: Roles): Promise<void> {
  const me = await currentUserIsSuperuser(sql);
  if (!me.superuser) return;
  const existing = await sql<{ sig: string }[]>`
    select p.oid::regprocedure::text as sig from pg_proc p
    where p.pronamespace = 'pg_catalog'::regnamespace and p.oid::regprocedure::text = any(${sql.array(REVOKED_FUNCTIONS.map(String))})`;
  await withRetry(async () => {
    for (const { sig } of existing) {
      await sql.unsafe(`REVOKE EXECUTE ON FUNCTION pg_catalog.${sig} FROM PUBLIC`);
      // pg_notify: the tenants trigger runs as whoever changes a tenant (owner, admin console).
      const to = sig.includes('advisory')
        ? [roles.owner.name, roles.jobs.name]
        : sig.startsWith('pg_notify')
          ? [roles.owner.name, roles.admin.name]
          : [roles.owner.name];
      for (const role of to) await execFormatted(sql, `GRANT EXECUTE ON FUNCTION pg_catalog.${sig} TO %I`, role);
    }
    for (const family of REVOKED_FUNCTION_FAMILIES) {
      const members = await sql<{ sig: string }[]>`
        select p.oid::regprocedure::text as sig from pg_proc p
        where p.pronamespace = 'pg_catalog'::regnamespace and p.proname ~ ${family.pattern}`;
      for (const { sig } of members) {
        await sql.unsafe(`REVOKE EXECUTE ON FUNCTION pg_catalog.${sig} FROM PUBLIC`);
        for (const job of family.to) await execFormatted(sql, `GRANT EXECUTE ON FUNCTION pg_catalog.${sig} TO %I`, roles[job].name);
      }
    }
    for (const view of REVOKED_VIEWS) {
      await sql.unsafe(`REVOKE SELECT ON pg_catalog.${view} FROM PUBLIC`);
      await execFormatted(sql, `GRANT SELECT ON pg_catalog.${view} TO %I, %I`, roles.owner.name, roles.admin.name);
    }
  });
}

/** Creates the database when it is missing (dev and tests); connected to any database of the server. */
export async function ensureDatabase(sql: Sql, database: string): Promise<boolean> {
  const [exists] = await sql`select 1 from pg_database where datname = ${database}`;
  if (exists) return false;
  await withRetry(async () => {
    const [again] = await sql`select 1 from pg_database where datname = ${database}`;
    if (!again) await execFormatted(sql, 'CREATE DATABASE %I', database);
  });
  return true;
}
