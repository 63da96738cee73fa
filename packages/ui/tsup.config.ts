import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm'],
  dts: true,
  clean: true,
  target: 'es2022',
  external: ['react'],
  // Client components: the directive must head the built file (esbuild drops it from sources).
  banner: { js: "'use client';" },
});
