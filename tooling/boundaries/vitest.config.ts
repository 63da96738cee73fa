import { createVitestConfig } from '@studio/vitest-config/config';

export default createVitestConfig();
