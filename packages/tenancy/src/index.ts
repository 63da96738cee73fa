export { createDatabase, parseTenantId } from './database';
export type { Database, DatabaseConfig, TenantOptions, TenantSummary } from './database';
export { appDatabaseUrl, placementsFromEnv } from './env';
export {
  InvalidTenantIdError,
  TenancyError,
  TenantNotFoundError,
  TenantPlacementError,
  TenantReadOnlyError,
  TenantScopeError,
  TenantSuspendedError,
  TenantTransactionError,
  UnsafeDatabaseRoleError,
} from './errors';
export { QueryGuard } from './guard/query-guard';
export { isTenantDb } from './scoped/tenant-db';
export type { EnforcementMode, TenantDb, TenantInfo, TenantStatus } from './scoped/tenant-db';
