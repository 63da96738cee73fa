/**
 * `@studio/platform`: the platform side, for apps/admin and the CLI alone (C11); products never
 * import it (the boundary check in `pnpm lint` refuses it in apps/invoices, apps/lessons and the
 * generator's template). The cross-tenant client (admin role, BYPASSRLS, its own pool) and what the
 * console builds on: every read and action audited as a platform event, the tenant registry's
 * changes, break-glass support access, and background exports. Tenant lifecycle (export, import,
 * move, erase, backfills) is `@studio/platform/lifecycle`.
 */
export { createAdminDatabase, type AdminDatabase, type AdminDatabaseConfig } from './admin-database';

export { adminDatabaseUrl } from '@studio/tenancy/env';
export { formatBytes } from '@studio/tenancy/lifecycle';
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
} from './events';
export {
  canonicalLocale,
  createTenant,
  emailProblem,
  inviteFirstOwner,
  pendingOwnerInvitation,
  setTenantLocale,
  setTenantStatus,
  STATUS_REASON_MAX,
  TENANT_NAME_MAX,
  TenantRegistryError,
  type CreatedTenant,
  type OwnerInvitation,
  type OwnerInviter,
  type PendingOwnerInvitation,
  type TenantRegistryField,
} from './tenants';
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
export { CONSOLE_EXPORT_MAX_BYTES, isExportFileName, listTenantExports, startTenantExport, type ExportRun, type StartExportOptions } from './exports';
