import 'server-only';
import { createDatabase, type Database } from '@studio/tenancy';
import { env } from './env';

// One set of pools per server process, kept across hot reloads in dev.
const globalForDb = globalThis as unknown as { studioDb?: Database };

/**
 * The lessons product runs its table without RLS (`lesson_plans` is `rls: false`): the query
 * guard alone keeps tenants apart, so both enforcement modes of the contract are in use.
 */
export function getDb(): Database {
  globalForDb.studioDb ??= createDatabase({ url: env.databaseUrl, placements: env.placements, pooler: env.pooler, contextKey: env.tenantContextKey, mode: 'app', applicationName: 'lessons' });
  return globalForDb.studioDb;
}
