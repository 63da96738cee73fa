import 'server-only';
import { pathPrefix } from '@studio/tenancy';
import { createTenancy, type Tenancy } from '@studio/tenancy/next';
import { getAuth } from './auth';
import { getDb } from './db';

const globalForTenancy = globalThis as unknown as { studioTenancy?: Tenancy };

/** Where this app finds the tenant, in one place (C6): the path, /t/<slug>/... */
export function getTenancy(): Tenancy {
  globalForTenancy.studioTenancy ??= createTenancy({ db: getDb(), identity: getAuth().identity, strategies: [pathPrefix()] });
  return globalForTenancy.studioTenancy;
}
