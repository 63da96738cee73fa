import { fileURLToPath } from 'node:url';
import { installJobsSchema } from './jobs-schema';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { currentUserIsSuperuser, ensureDatabase, ensureRoles, grantDatabaseAccess } from './bootstrap';
import { DatabaseConfigError, databaseName, rolesFromEnv, tenantContextKey, urlForDatabase, type Roles } from './config';
import { isDistributed, syncContextKeysToWorkers } from './distribute';
import { contextKeyId, contextKeyPads, DEV_TENANT_CONTEXT_KEY } from './tenant-context';

/** The checked-in migrations (drizzle-kit's output plus our custom SQL), beside src/ and dist/. */
export const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));

export interface MigrateOptions {
  /** The database to migrate, as a superuser (roles are then created) or as the owner role. */
  url: string;
  roles?: Roles;
  /** The key that signs tenant contexts (TENANT_CONTEXT_KEY); stored for studio_tenant() to verify with. */
  contextKey?: string;
}

/**
 * Brings a database to the current schema: roles and database access first, then every pending
 * migration as the owner role, so the owner owns every table. Safe to run again: applied
 * migrations are recorded in drizzle.__drizzle_migrations and skipped.
 */
export async function migrateDatabase({ url, roles = rolesFromEnv(), contextKey = tenantContextKey() }: MigrateOptions): Promise<void> {
  const database = databaseName(url);
  await createDatabaseIfMissing(url, database);
  const setup = postgres(url, { max: 1, onnotice: () => {} });
  let me: { name: string; superuser: boolean };
  let distributed = false;
  try {
    me = await currentUserIsSuperuser(setup);
    distributed = await isDistributed(setup);
    await ensureRoles(setup, roles);
    if (me.superuser) await grantDatabaseAccess(setup, database, roles);
  } finally {
    await setup.end();
  }

  const sql = postgres(url, {
    max: 1,
    onnotice: () => {},
    // Read by the grant migrations, so role names stay configurable.
    connection: {
      'studio.app_role': roles.app.name,
      'studio.auth_role': roles.auth.name,
      'studio.jobs_role': roles.jobs.name,
      'studio.admin_role': roles.admin.name,
      ...(me.name === roles.owner.name ? {} : { role: roles.owner.name }),
      // On a distributed database trigger DDL needs it (Citus refuses triggers on its tables otherwise).
      ...(distributed ? { 'citus.enable_unsafe_triggers': 'on' } : {}),
    },
  });
  try {
    await migrate(drizzle(sql), { migrationsFolder });
    // The job queue's tables come from pg-boss itself, installed or upgraded the same way.
    await installJobsSchema(sql, roles);
    await storeContextKey(sql, contextKey);
  } finally {
    await sql.end();
  }
  await syncKeysIfDistributed(url, roles);
}

/**
 * Adds the key apps sign tenant contexts with (C15), unless present. Keys are only added: during
 * a rotation the old one stays valid until its row is deleted (docs/security.md).
 */
/**
 * A distributed database (db:distribute) verifies the tenant context on the workers with their own
 * copy of the keys: a key stored above reaches them here, or the command says how to do it.
 */
async function syncKeysIfDistributed(url: string, roles: Roles): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    if (!(await isDistributed(sql))) return;
    try {
      const synced = await syncContextKeysToWorkers(sql, roles.owner.name);
      console.log(`Citus: ${synced.keys} context key(s) copied to ${synced.workers} worker(s).`);
    } catch (error) {
      console.warn(`Citus: the context keys could not be copied to the workers (${(error as Error).message}); run pnpm db:distribute as a superuser.`);
    }
  } finally {
    await sql.end();
  }
}

async function storeContextKey(sql: postgres.Sql, key: string): Promise<void> {
  const kid = contextKeyId(key);
  if (key === DEV_TENANT_CONTEXT_KEY) {
    // A database that already trusts a real key is not a dev database: the public dev key must
    // never be added to it (a migrate run without TENANT_CONTEXT_KEY, from a laptop or CI).
    const [real] = await sql`select kid from studio_private.context_keys where kid <> ${kid} limit 1`;
    if (real) {
      throw new DatabaseConfigError(
        `This database trusts tenant-context key ${real.kid as string}, and TENANT_CONTEXT_KEY is unset: refusing to add the public development key. ` +
          'Run db:migrate with the same TENANT_CONTEXT_KEY as the apps.',
      );
    }
  }
  const { ipad, opad } = contextKeyPads(key);
  await sql`
    insert into studio_private.context_keys (kid, ipad, opad) values (${kid}, ${ipad}, ${opad})
    on conflict (kid) do nothing`;
}

/** A database named in DATABASE_URL that does not exist yet is created (from the `postgres` database). */
async function createDatabaseIfMissing(url: string, database: string): Promise<void> {
  const probe = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await probe`select 1`;
    return;
  } catch (error) {
    if ((error as { code?: string }).code !== '3D000') throw error;
  } finally {
    await probe.end();
  }
  const maintenance = postgres(urlForDatabase(url, 'postgres'), { max: 1, onnotice: () => {} });
  try {
    await ensureDatabase(maintenance, database);
  } finally {
    await maintenance.end();
  }
}
