/**
 * The cross-tenant client for apps/admin alone (C11). It connects as the
 * admin role (BYPASSRLS, its own pool), so it sees every tenant's rows; product apps never
 * import this package (the boundary check and the `no-raw-db-client` lint rule refuse it).
 */
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from '@studio/db-schema/schema';
import { UnsafeDatabaseRoleError } from '@studio/tenancy';
import { reconnectBackoff } from '@studio/tenancy/connection';

export interface AdminDatabaseConfig {
  /** The admin role's URL (DATABASE_ADMIN_URL): BYPASSRLS, not a superuser, not the owner. */
  url: string;
  poolSize?: number;
}

export function createAdminDatabase(config: AdminDatabaseConfig) {
  const client = postgres(config.url, { max: config.poolSize ?? 4, backoff: reconnectBackoff, onnotice: () => {}, connection: { application_name: 'studio:admin' } });
  const db = drizzle({ client, schema });
  let verified: Promise<void> | undefined;

  async function check(): Promise<void> {
    const [role] = await client<{ name: string; superuser: boolean; bypassrls: boolean; owns: boolean }[]>`
      select r.rolname as name, r.rolsuper as superuser, r.rolbypassrls as bypassrls,
        exists (select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = 'public' and c.relkind = 'r' and pg_has_role(current_user, c.relowner, 'USAGE')) as owns
      from pg_roles r where r.rolname = current_user`;
    if (!role) throw new UnsafeDatabaseRoleError('Could not read the admin role from pg_roles.');
    if (role.superuser || role.owns) {
      throw new UnsafeDatabaseRoleError(
        `The admin client refuses role "${role.name}": it is ${role.superuser ? 'a superuser' : 'the owner of tables'}, which can also change the schema. Use the admin role (DATABASE_ADMIN_URL; \`pnpm db:migrate\` creates it).`,
      );
    }
    if (!role.bypassrls) {
      throw new UnsafeDatabaseRoleError(
        `The admin client needs a BYPASSRLS role, and "${role.name}" is not one: cross-tenant reads would silently return nothing. Use DATABASE_ADMIN_URL.`,
      );
    }
  }

  return {
    /** drizzle over the admin pool. Reads every tenant: keep it to apps/admin. */
    db,
    /** Checks the role (BYPASSRLS, not superuser, not owner); call at boot. */
    verify(): Promise<void> {
      // A failed check is not kept: the next call checks again (after a dropped connection, say).
      verified ??= check().catch((error: unknown) => {
        verified = undefined;
        throw error;
      });
      return verified;
    },
    async close(): Promise<void> {
      await client.end({ timeout: 5 });
    },
  };
}

export type AdminDatabase = ReturnType<typeof createAdminDatabase>;
