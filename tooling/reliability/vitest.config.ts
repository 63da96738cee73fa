import { createVitestConfig } from '@studio/vitest-config/config';

// One file, run in order: the report is written when every part has run.
const config = createVitestConfig({ database: true, globalSetup: ['@studio/db-schema/testing/global-setup'] });
config.test = { ...config.test, testTimeout: 10 * 60_000, hookTimeout: 10 * 60_000, fileParallelism: false };
export default config;
