/**
 * `@studio/tenancy/request`: a request's tenant context (C6, C14) without a framework. Who is
 * asking (`createRequestContext`), what each entry point needs (`definePermissions`,
 * `publicAccess`), role checks (C7), and the sign-in attempt limits. `@studio/tenancy/next`
 * wraps it for Next.js.
 */
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
  type TenantStanding,
  type TenantRole,
} from './context';
export { definePermissions, isPermission, publicAccess, type Need, type Permission, type PermissionSpec, type PermissionTable } from './permissions';
export { createAttemptLimits, TooManyAttemptsError, type AttemptKeys, type AttemptLimits, type AttemptLimitsOptions, type AttemptRule } from './attempts';
export { clientAddress } from './client-address';
export { formatWait } from '../internal/format';
