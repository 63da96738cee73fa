import { createVitestConfig } from '@studio/vitest-config/config';

// The generator test builds a whole app in a copy of the repo: it gets its own, long timeout
// (about 8 minutes alone; in CI it shares two cores with every other suite and took 16).
// The shared config for its conditions (workspace packages from source: the matrix kit, the e2e
// helpers); no global Postgres setup: the test uses DATABASE_URL's server or starts its own.
const config = createVitestConfig({ include: ['test/**/*.test.ts'] });
config.test = { ...config.test, testTimeout: 30 * 60_000, hookTimeout: 5 * 60_000 };
export default config;
