export { createDatabase, parseTenantId } from './database';
export type { Database, DatabaseConfig, TenantOptions, TenantSummary } from './database';
export { appDatabaseUrl, authDatabaseUrl, jobsDatabaseUrl, placementsFromEnv, poolerFromEnv, redisUrlFromEnv, tenantContextKeyFromEnv, trustedProxiesFromEnv } from './env';
export { isUuid, parseUuid } from './ids';
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
export { QueryGuard, type QueryGuardOptions } from './guard/query-guard';
export { REQUEST_SESSION, reconnectBackoff, type SessionSettings } from './scoped/executor';
export { isTenantDb } from './scoped/tenant-db';
export type { EnforcementMode, TenantDb, TenantInfo, TenantStatus } from './scoped/tenant-db';
export { TenantDirectory, TENANT_CHANGED_CHANNEL, type TenantDirectoryOptions } from './resolver/directory';
export { DEFAULT_RESERVED_SLUGS, parseSlug, slugFromHost, slugFromPath, type SlugProblem, type SlugResult, type SourceResult } from './resolver/parse';
export { bearerToken, header, pathPrefix, session, subdomain, type TenantStrategy } from './resolver/strategies';
export { resolveTenant, type Resolution, type ResolveDeps, type ResolveFailure, type ResolveInput, type TenantSource } from './resolver/resolve';
export { API_TOKEN_PREFIX, bearerFrom, formatApiToken, parseApiToken, type ApiTokenParts } from './resolver/api-token';
export {
  can,
  createRequestContext,
  FORWARDED_TENANT_ID,
  FORWARDED_TENANT_SOURCE,
  hasTenantRole,
  requirePermission,
  requirePlatformAdmin,
  requireTenantRole,
  TenantRequestError,
  withoutTenantHeaders,
  type AccessRequest,
  type ApiTokenGrant,
  type IdentityProvider,
  type Membership,
  type RequestContext,
  type RequestSession,
  type TenantContext,
  type TenantRole,
} from './request/context';
export { definePermissions, isPermission, publicAccess, type Need, type Permission, type PermissionSpec, type PermissionTable } from './request/permissions';
export {
  audit,
  AuditEventError,
  auditTrail,
  sealAuditChain,
  verifyAuditChain,
  type AuditActor,
  type AuditEvent,
  type AuditPage,
  type AuditQuery,
  type ChainVerdict,
} from './audit';
export {
  CacheKeyError,
  cacheStoreFor,
  defaultCacheStore,
  memoryCacheStore,
  redisCacheStore,
  setDefaultCacheStore,
  tenantCache,
  tenantTag,
  type CacheOptions,
  type CacheRead,
  type CacheStore,
  type TenantCache,
  type TenantScope,
} from './cache';
export { closeSharedRedis, sharedRedis } from './redis';
export { createTenantJobs, TenantJobError, type TenantJob, type TenantJobContext, type TenantJobOptions, type TenantJobs, type TenantJobsConfig } from './jobs';
export {
  createQuotas,
  isQuotaExceeded,
  QuotaExceededError,
  quotaExceededResponse,
  type ConsumeOptions,
  type QuotaHolder,
  type QuotaRule,
  type Quotas,
  type QuotasOptions,
  type QuotaUse,
} from './quotas';
export { createAttemptLimits, TooManyAttemptsError, type AttemptKeys, type AttemptLimits, type AttemptLimitsOptions, type AttemptRule } from './attempts';
export { clientAddress } from './request/client-address';
export { formatWait } from './format';
export { meter, MeterError, usageOf, type UsageLine } from './metering';
export { exportTenant, type ExportManifest, type ExportProgress } from './lifecycle/export';
export { defaultFileStore, localFileStore, s3FileStore, setDefaultFileStore, StoragePathError, tenantStorage, type FileStore, type TenantStorage } from './storage';
