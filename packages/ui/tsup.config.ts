import { defineConfig } from 'tsup';

// index: the client components. src/index.ts opens with 'use client', which esbuild keeps at the
// head of an entry's built file (it drops the directives of the modules it bundles in).
// forms, lists, format: server-safe helpers, without the directive: server actions and pages call them,
// which they could not do through a client module.
// components: server-safe design-system parts (no hooks); interactive: the client ones, with the directive.
// status-pages: client components as well (the sign-out button), an entry of its own with the directive.
// support-banner: server-safe (no hooks), for layouts and pages.
export default defineConfig({
  entry: { index: 'src/index.ts', forms: 'src/forms.ts', lists: 'src/lists.ts', format: 'src/format.ts', 'status-pages': 'src/status-pages.tsx', 'support-banner': 'src/support-banner.tsx', components: 'src/components.ts', interactive: 'src/interactive.ts' },
  format: ['esm'],
  // No declaration files: every tsconfig here resolves a workspace package to its sources (the
  // @studio/source condition), so nothing read them, and they were most of the build (tenancy:
  // 50 s of 52).
  dts: false,
  clean: true,
  target: 'es2022',
  external: ['react', 'react-dom', 'next', 'radix-ui', 'sonner', 'd3-scale', 'd3-shape'],
});
