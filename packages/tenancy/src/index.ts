export { createDatabase } from './database';
export type { Database, DatabaseConfig, TenantSummary } from './database';
export { appDatabaseUrl } from './env';
