/**
 * `@studio/tenancy/admin`: the cross-tenant client for apps/admin alone (C11). It connects as the
 * admin role (BYPASSRLS, its own pool), so it sees every tenant's rows; product apps never
 * import this entry point (the `no-raw-db-client` lint rule refuses it outside apps/admin).
 */
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from '@studio/db-schema/schema';
import { UnsafeDatabaseRoleError } from './errors';
import { reconnectBackoff } from './scoped/executor';

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

// What the admin console builds on: every read and action of it audited as a platform event,
// the tenant registry's changes, break-glass support access, and background exports.
export { adminDatabaseUrl } from './env';
export { formatBytes } from './format';
export {
  auditedRead,
  crossTenantTrail,
  PlatformEventError,
  recordPlatformEvent,
  type AdminTx,
  type AuditedReadEvent,
  type PlatformEvent,
  type TrailEntry,
  type TrailPage,
  type TrailQuery,
} from './admin-events';
export { createTenant, setTenantStatus, STATUS_REASON_MAX, TENANT_NAME_MAX, TenantRegistryError, type CreatedTenant, type TenantRegistryField } from './admin-tenants';
export {
  BREAK_GLASS_MINUTES,
  BREAK_GLASS_REASON_MAX,
  BREAK_GLASS_REASON_MIN,
  BreakGlassError,
  breakGlassReasonProblem,
  createBreakGlass,
  DEFAULT_BREAK_GLASS_MINUTES,
  type BreakGlass,
  type BreakGlassAccess,
  type BreakGlassField,
  type BreakGlassGrant,
  type BreakGlassRequest,
  visibleText,
} from './break-glass';
export { CONSOLE_EXPORT_MAX_BYTES, isExportFileName, listTenantExports, startTenantExport, type ExportRun, type StartExportOptions } from './admin-exports';
