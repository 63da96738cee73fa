export { startEmbeddedPostgres } from './embedded';
export type { EmbeddedPostgresOptions, RunningPostgres } from './embedded';
export { getFreePort, isPortFree } from './free-port';
export { findWorkspaceRoot } from './workspace-root';
export { clearDevState, devDataDir, lastDevPort, readDevState, writeDevState } from './dev-state';
export type { DevState } from './dev-state';
