import type { Sql } from 'postgres';
import type { RoleSpec, Roles } from './config';

/**
 * Cluster- and database-level set-up that migrations cannot carry: the three roles with their
 * attributes and passwords, and access to the database and its schema. Needs a superuser; with
 * a lesser user it only checks that the roles exist and says what to run when they do not.
 */

const attributes: Record<keyof Roles, string> = {
  owner: 'LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE',
  // C5: the app role may never skip row-level security.
  app: 'LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT',
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
  const [row] = await sql<{ q: string }[]>`select format(${template}, variadic ${sql.array(args)}::text[]) as q`;
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

/** Lets the owner create objects in the database and the other roles connect and use the schema. */
export async function grantDatabaseAccess(sql: Sql, database: string, roles: Roles): Promise<void> {
  await withRetry(async () => {
    await execFormatted(sql, 'GRANT CONNECT, CREATE, TEMPORARY ON DATABASE %I TO %I', database, roles.owner.name);
    await execFormatted(sql, 'GRANT CONNECT ON DATABASE %I TO %I, %I', database, roles.app.name, roles.admin.name);
    await execFormatted(sql, 'GRANT USAGE, CREATE ON SCHEMA public TO %I', roles.owner.name);
    await execFormatted(sql, 'GRANT USAGE ON SCHEMA public TO %I, %I', roles.app.name, roles.admin.name);
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
