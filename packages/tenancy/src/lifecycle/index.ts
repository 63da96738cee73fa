/**
 * `@studio/tenancy/lifecycle`: the engine under the platform's tenant tools, for
 * `@studio/platform` alone (the boundary check refuses it anywhere else). `exportTenant` reads any
 * tenant by name; a product exports its own tenant through `@studio/tenancy/export`.
 */
export {
  asTenantOwner,
  bindTenant,
  checkSlug,
  deleteTenantRows,
  findTenant,
  isCitus,
  operator,
  platformColumns,
  setLocalErasingTenantSql,
  Pools,
  tableHoldingTenant,
  targetOf,
  tenantTables,
  TenantLifecycleError,
  type DatabaseTarget,
  type DatabaseTargets,
  type RegistryTenant,
  type SecretColumns,
  type TenantTableInfo,
} from './common';
export { exportTenant, platformQueries, type ExportedTable, type ExportFormat, type ExportManifest, type ExportOptions, type ExportProgress } from './export';
export { tenantTablesOf } from '../internal/tables';
export { formatBytes } from '../internal/format';
