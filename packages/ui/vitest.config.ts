import { createVitestConfig } from '@studio/vitest-config/config';

// Pure helpers: no database.
export default createVitestConfig();
