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
  dts: true,
  clean: true,
  splitting: true,
  target: 'node20',
});
