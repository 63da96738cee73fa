/**
 * `@studio/tenancy`: what a product imports to reach the database (C3, C4, C5). The client
 * (`createDatabase`, `db.tenant(id)` -> `TenantDb`), the tenant's shape, the id check, and the
 * typed errors. Everything else has its own entry point (package.json `exports`, listed in
 * README.md#architecture), so an app loads only what it imports; `src/internal/` is shared by
 * them and exported by none. docs/scoped-client.md
 */
export { createDatabase } from './database';
export type { Database, DatabaseConfig, TenantOptions } from './database';
export type { EnforcementMode, TenantDb, TenantInfo, TenantStatus } from './scoped/tenant-db';
export { isTenantDb } from './scoped/tenant-db';
export { isUuid, parseTenantId, parseUuid } from './ids';
export {
  InvalidTenantIdError,
  isDatabaseUnavailable,
  TenancyError,
  TenantNotFoundError,
  TenantPlacementError,
  TenantReadOnlyError,
  TenantScopeError,
  TenantSuspendedError,
  TenantTransactionError,
  UnsafeDatabaseRoleError,
  type TenantScopeReason,
} from './errors';
