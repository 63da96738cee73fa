import 'server-only';
import { pathPrefix } from '@studio/tenancy/resolver';
import { createTenancy, type Tenancy } from '@studio/tenancy/next';
import { getAuth } from './auth';
import { getDb } from './db';
import { permissions, type ProductPermission } from './permissions';

const globalForTenancy = globalThis as unknown as { studioTenancy?: Tenancy<ProductPermission> };

/** Where this app finds the tenant, in one place (C6): the path, /t/<slug>/...; who may do what, src/permissions.ts (C14). */
export function getTenancy(): Tenancy<ProductPermission> {
  globalForTenancy.studioTenancy ??= createTenancy({ db: getDb(), identity: getAuth().identity, strategies: [pathPrefix()], permissions });
  return globalForTenancy.studioTenancy;
}
