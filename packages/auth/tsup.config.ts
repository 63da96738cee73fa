import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', env: 'src/env.ts' },
  format: ['esm'],
  // No declaration files: every tsconfig here resolves a workspace package to its sources (the
  // @studio/source condition), so nothing read them, and they were most of the build (tenancy:
  // 50 s of 52).
  dts: false,
  clean: true,
  target: 'node20',
});
