import { createVitestConfig } from '@studio/vitest-config/config';

// The apps are built once (turbo) and started per file; files run one after another (two cores).
const config = createVitestConfig({ database: true, globalSetup: ['@studio/db-schema/testing/global-setup'] });
config.test = { ...config.test, testTimeout: 120_000, hookTimeout: 10 * 60_000, fileParallelism: false };
export default config;
