import 'server-only';
import { bearerToken, subdomain } from '@studio/tenancy/resolver';
import { createTenancy, type Tenancy } from '@studio/tenancy/next';
import { getAuth } from './auth';
import { getDb } from './db';
import { env } from './env';
import { permissions, type InvoicesPermission } from './permissions';

const globalForTenancy = globalThis as unknown as { studioTenancy?: Tenancy<InvoicesPermission> };

/**
 * Where this app finds the tenant, in one place (C6): the subdomain (acme.localhost:3001) for
 * pages, and for the JSON API also the tenant claim of the bearer token. Both must agree. Who may
 * do what once there is src/permissions.ts (C14).
 */
export function getTenancy(): Tenancy<InvoicesPermission> {
  globalForTenancy.studioTenancy ??= createTenancy({
    db: getDb(),
    identity: getAuth().identity,
    strategies: [subdomain({ baseDomain: env.baseDomain }), bearerToken()],
    permissions,
  });
  return globalForTenancy.studioTenancy;
}
