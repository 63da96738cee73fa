import type { ViteUserConfig } from 'vitest/config';

export interface StudioVitestOptions {
  /** Start a Postgres server for the run (DATABASE_URL's server, or an embedded one). */
  database?: boolean;
  /** Extra global setup files, run after the Postgres one (for example the migrating setup). */
  globalSetup?: string[];
  include?: string[];
}

export declare function createVitestConfig(options?: StudioVitestOptions): ViteUserConfig;
