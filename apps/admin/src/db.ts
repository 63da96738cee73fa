import 'server-only';
import { createDatabase, type Database } from '@studio/tenancy';
import { createAdminDatabase, createBreakGlass, type AdminDatabase, type BreakGlass } from '@studio/platform';
import { env } from './env';

// One set of pools per server process, kept across hot reloads in dev.
const globalForDb = globalThis as unknown as { studioDb?: Database; studioAdminDb?: AdminDatabase; studioBreakGlass?: BreakGlass };

/** The app role, as every product: sessions, and a tenant's scoped client under break-glass. */
export function getDb(): Database {
  globalForDb.studioDb ??= createDatabase({ url: env.databaseUrl, placements: env.placements, pooler: env.pooler, contextKey: env.tenantContextKey, mode: 'rls', applicationName: 'admin' });
  return globalForDb.studioDb;
}

/** The admin role (BYPASSRLS, its own pool): cross-tenant reads, each one audited (C11). */
export async function getAdmin(): Promise<AdminDatabase> {
  globalForDb.studioAdminDb ??= createAdminDatabase({ url: env.adminDatabaseUrl });
  // Refuses a role that is not BYPASSRLS, or is a superuser or the owner (checked once).
  await globalForDb.studioAdminDb.verify();
  return globalForDb.studioAdminDb;
}

export async function getBreakGlass(): Promise<BreakGlass> {
  globalForDb.studioBreakGlass ??= createBreakGlass({ admin: await getAdmin(), db: getDb() });
  return globalForDb.studioBreakGlass;
}

/** App role URLs of every database, for exports (which read as the app role, C13). */
export function exportUrls(): Record<string, string> {
  return { ...env.placements, shared: env.databaseUrl };
}
