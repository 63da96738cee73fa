import path from 'node:path';
import { createVitestConfig } from '@studio/vitest-config/config';

// The platform's Citus phase (issue 21, docs/scaling.md): the lifecycle on one distributed database
// per run on the coordinator CITUS_URL names (@studio/db-schema/testing/citus-setup), run from
// packages/platform with `npx vitest run --config test/citus/vitest.citus.config.ts`. Without
// CITUS_URL no file runs and the reason is printed; CI does not set it. The package's own config
// also finds these files and skips them (no Citus database provided).
if (!process.env.CITUS_URL) {
  console.log('Citus phase skipped: CITUS_URL is not set (a superuser URL of a Citus coordinator database with its workers registered).');
}
const config = createVitestConfig({ include: process.env.CITUS_URL ? ['test/citus/**/*.test.ts'] : [], globalSetup: ['@studio/db-schema/testing/citus-setup'] });
config.root = path.resolve(import.meta.dirname, '../..');
// One database for the run: the files take turns.
config.test = { ...config.test, fileParallelism: false, passWithNoTests: true, testTimeout: 180_000 };
export default config;
