/**
 * `@studio/platform/lifecycle`: a tenant's life across databases, for the CLI (`pnpm studio`)
 * and the console: export any tenant by name, import an export, move a tenant to another
 * placement, erase one everywhere, run a backfill over every tenant (docs/scaling.md).
 */
export { exportTenant, tenantTables, TenantLifecycleError, type DatabaseTargets, type ExportFormat, type ExportManifest, type ExportOptions, type ExportProgress } from '@studio/tenancy/lifecycle';
export { runBackfill, type BackfillOptions, type BackfillProgress, type BackfillResult } from './backfill';
export { copyTenant, type CopyTenantOptions } from './copy';
export { eraseTenant, type EraseOptions, type EraseResult } from './erase';
export { importTenant, readManifest, verifyExportFile, type ImportOptions, type ImportResult } from './import';
export { MOVE_STEPS, moveTenant, SimulatedCrash, type MoveOptions, type MoveResult, type MoveStep } from './move';
export { isNodeAddress, moveTenantOnCitus, type CitusMoveOptions, type CitusMoveResult } from './citus-move';
export { signalTenantChanged } from './citus';
export { asTenantOwner, isCitus } from '@studio/tenancy/lifecycle';
