import { createVitestConfig } from '@studio/vitest-config/config';

export default createVitestConfig({ database: true, typecheck: true, globalSetup: ['@studio/db-schema/testing/global-setup'] });
