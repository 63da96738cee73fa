import { defineConfig } from 'tsup';

// index: the client components. src/index.ts opens with 'use client', which esbuild keeps at the
// head of an entry's built file (it drops the directives of the modules it bundles in).
// forms, lists, format: server-safe helpers, without the directive: server actions and pages call them,
// which they could not do through a client module.
// status-pages: client components as well (the sign-out button), an entry of its own with the directive.
export default defineConfig({
  entry: { index: 'src/index.ts', forms: 'src/forms.ts', lists: 'src/lists.ts', format: 'src/format.ts', 'status-pages': 'src/status-pages.tsx' },
  format: ['esm'],
  dts: true,
  clean: true,
  target: 'es2022',
  external: ['react'],
});
