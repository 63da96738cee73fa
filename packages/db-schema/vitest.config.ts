import { createVitestConfig } from '@studio/vitest-config/config';

export default createVitestConfig({ database: true, typecheck: true, globalSetup: ['./src/testing/global-setup.ts'] });
