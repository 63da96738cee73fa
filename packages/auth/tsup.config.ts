import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', env: 'src/env.ts' },
  format: ['esm'],
  dts: true,
  clean: true,
  target: 'node20',
});
