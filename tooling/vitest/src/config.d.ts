import type { ViteUserConfig } from 'vitest/config';

export interface StudioVitestOptions {
  /** Start a Postgres server for the run (DATABASE_URL's server, or an embedded one). */
  database?: boolean;
  /** Extra global setup files, run after the Postgres one (for example the migrating setup). */
  globalSetup?: string[];
  include?: string[];
  /** Also run the type tests in test/**\/*.test-d.ts (vitest's typecheck mode). */
  typecheck?: boolean;
}

export declare function createVitestConfig(options?: StudioVitestOptions): ViteUserConfig;
