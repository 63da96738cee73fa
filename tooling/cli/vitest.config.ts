import { createVitestConfig } from '@studio/vitest-config/config';

export default createVitestConfig({ database: true, globalSetup: ['@studio/db-schema/testing/global-setup'] });
