/**
 * `@studio/tenancy/export`: "export my data" for a product (C13, C16). The tenant is the scoped
 * client's own: a product holds a `TenantDb` only for the tenant of its request or job, so it
 * can export that tenant and no other. The same engine as `pnpm studio tenants export` (one
 * snapshot, read as the app role with the tenant's context and an explicit `tenant_id` filter,
 * ndjson or sql with a manifest of row counts and checksums, secret columns never written);
 * exporting any tenant by name is the platform's (`@studio/platform/lifecycle`).
 */
import type { Writable } from 'node:stream';
import { isTenantDb, type TenantDb } from './scoped/tenant-db';
import { exportTenant, type ExportFormat, type ExportManifest, type ExportProgress } from './lifecycle/export';

export type { ExportFormat, ExportManifest, ExportProgress };

export interface OwnExportOptions {
  /** App role URLs: 'shared' and any placements (the app's `DATABASE_APP_URL` and `DATABASE_PLACEMENTS`). */
  urls: Record<string, string>;
  format?: ExportFormat;
  out: Writable;
  /** Called as rows stream (at most every 10,000 rows, and at each table's end). */
  onProgress?: (progress: ExportProgress) => void;
}

/** Streams the scoped client's tenant to `out` and returns the manifest. */
export async function exportOwnTenant(tdb: TenantDb, options: OwnExportOptions): Promise<ExportManifest> {
  if (!isTenantDb(tdb)) throw new TypeError('exportOwnTenant needs a scoped client: db.tenant(id) or getTenantContext().db.');
  return exportTenant({ urls: options.urls, slug: tdb.tenant.slug, tenantId: tdb.tenantId, format: options.format, out: options.out, onProgress: options.onProgress });
}
