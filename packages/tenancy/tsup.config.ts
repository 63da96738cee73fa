import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

// One bundle per entry point of package.json's `exports` (dist/<name>.js from its @studio/source
// file), so the two lists cannot drift; shared modules are split into chunks, so a singleton
// (the Redis client, the default stores) stays one per process whichever entry loads it.
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, { '@studio/source': string; default: string }>;
};
const entry = Object.fromEntries(Object.values(pkg.exports).map((e) => [e.default.replace(/^\.\/dist\/(.*)\.js$/, '$1'), e['@studio/source']]));

export default defineConfig({
  entry,
  format: ['esm'],
  // No declaration files: every tsconfig here resolves a workspace package to its sources (the
  // @studio/source condition), so nothing read them, and they were most of the build (tenancy:
  // 50 s of 52).
  dts: false,
  clean: true,
  splitting: true,
  target: 'node20',
});
