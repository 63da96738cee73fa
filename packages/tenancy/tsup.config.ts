import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', admin: 'src/admin.ts', env: 'src/env-schema.ts', next: 'src/next.ts', testing: 'src/testing/index.ts' },
  format: ['esm'],
  dts: true,
  clean: true,
  target: 'node20',
});
