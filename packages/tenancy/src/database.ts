import { asc } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from '@studio/db-schema/schema';

export interface DatabaseConfig {
  /** The app role's URL (never a superuser or the table owner). */
  url: string;
  /** Connections for requests. */
  poolSize?: number;
}

export interface TenantSummary {
  id: string;
  slug: string;
  name: string;
  status: 'active' | 'suspended' | 'read_only';
}

/**
 * The one place a product gets database access. It owns the connection pool; the scoped,
 * tenant-bound client grows here (issue: the scoped client).
 */
export function createDatabase(config: DatabaseConfig) {
  const client = postgres(config.url, { max: config.poolSize ?? 10, onnotice: () => {} });
  const db = drizzle(client, { schema });
  return {
    /** Platform reads that need no tenant: the tenant registry. */
    platform: {
      listTenants(): Promise<TenantSummary[]> {
        return db
          .select({ id: schema.tenants.id, slug: schema.tenants.slug, name: schema.tenants.name, status: schema.tenants.status })
          .from(schema.tenants)
          .orderBy(asc(schema.tenants.slug));
      },
    },
    async close(): Promise<void> {
      await client.end({ timeout: 5 });
    },
  };
}

export type Database = ReturnType<typeof createDatabase>;
