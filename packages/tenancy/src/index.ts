/**
 * `@studio/tenancy`: what a product imports to reach the database (C3, C4, C5). The client
 * (`createDatabase`, `db.tenant(id)` -> `TenantDb`), the tenant's shape, the id check, and the
 * typed errors. Everything else has its own door, so an app loads only what it imports:
 *
 *   @studio/tenancy/request     the request context, permissions and roles, sign-in attempt limits
 *   @studio/tenancy/resolver    how a request names its tenant: strategies, slugs, the directory, API tokens
 *   @studio/tenancy/next        the Next.js glue: createTenancy (proxy, pages, routes, APIs), guardRequest
 *   @studio/tenancy/env         the environment fragment each app composes
 *   @studio/tenancy/audit       the audit trail (C10)
 *   @studio/tenancy/cache       the tenant cache (C8) and the process's Redis client
 *   @studio/tenancy/jobs        tenant jobs on pg-boss (C9)
 *   @studio/tenancy/quotas      per-tenant quotas (C12)
 *   @studio/tenancy/metering    usage counters
 *   @studio/tenancy/storage     tenant files (local or S3)
 *   @studio/tenancy/export      "export my data": the scoped client's own tenant (C13)
 *   @studio/tenancy/connection  pool settings for a package that opens its own pool (auth)
 *   @studio/tenancy/testing     the leak and authorization matrix kits (tests only)
 *   @studio/tenancy/lifecycle   the export engine behind the platform's tools; @studio/platform only
 *
 * `src/internal/` is shared by these entry points and exported by none. The platform side (the
 * console's back end, break-glass, tenant export/import/move/erase) is `@studio/platform`.
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
