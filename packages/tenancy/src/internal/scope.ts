import { parseTenantId } from '../ids';

/** Anything that knows its tenant: a request context, a scoped client, a job. */
export type TenantScope = { tenantId: string } | { tenant: { id: string } };

/** The validated tenant id of a scope; InvalidTenantIdError when it has none. */
export function scopeTenantId(scope: TenantScope): string {
  const candidate = scope && typeof scope === 'object' ? ('tenantId' in scope ? scope.tenantId : scope.tenant?.id) : undefined;
  return parseTenantId(candidate);
}
