import 'server-only';
import { createDatabase, type Database } from '@studio/tenancy';
import { env } from './env';

// One pool per server process, kept across hot reloads in dev.
const globalForDb = globalThis as unknown as { studioDb?: Database };

export function getDb(): Database {
  globalForDb.studioDb ??= createDatabase({ url: env.databaseUrl });
  return globalForDb.studioDb;
}
