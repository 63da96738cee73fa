import 'server-only';
import { createDatabase, type Database } from '@studio/tenancy';
import { env } from './env';

// One set of pools per server process, kept across hot reloads in dev.
const globalForDb = globalThis as unknown as { studioDb?: Database };

/** The invoices product enforces isolation with the query guard and Postgres RLS. */
export function getDb(): Database {
  globalForDb.studioDb ??= createDatabase({ url: env.databaseUrl, placements: env.placements, pooler: env.pooler, contextKey: env.tenantContextKey, mode: 'rls', applicationName: 'invoices' });
  return globalForDb.studioDb;
}
