// Plain JavaScript: vitest loads config files with Node, which cannot import TypeScript from a
// workspace package. Types are in config.d.ts.
import process from 'node:process';
import { defineConfig } from 'vitest/config';

/**
 * Workspace packages resolve to their TypeScript source in tests, so tests need no build.
 * Vitest also hands these to Node (`--conditions`) for the dependencies Node loads itself, so
 * no 'import' or 'module' here: with them, Node's require() picks a CommonJS package's ESM
 * build (pg-pool, under pg-boss, then fails). Vite adds import/require/default on its own.
 */
const conditions = ['@studio/source', 'node'];
const externalConditions = ['@studio/source'];

/** @param {import('./config').StudioVitestOptions} [options] */
export function createVitestConfig(options = {}) {
  const globalSetup = [
    ...(options.database ? ['@studio/vitest-config/postgres-setup'] : []),
    ...(options.globalSetup ?? []),
  ];
  return defineConfig({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions } },
    // Global setup files run in vitest's own environment, which does not inherit `ssr`.
    environments: { __vitest__: { resolve: { conditions, externalConditions } } },
    test: {
      include: options.include ?? ['src/**/*.test.ts', 'test/**/*.test.ts'],
      globalSetup,
      testTimeout: 30_000,
      hookTimeout: 120_000,
      // Every package writes its results where .ci/run adds them up.
      reporters: ['default', 'json'],
      outputFile: { json: 'test-results/vitest.json' },
      // Type tests (`*.test-d.ts`): checked by tsc, reported as tests; they prove what must not compile.
      // STUDIO_TYPE_TESTS=off: not this run (CI's second pass on the Postgres service: types do
      // not depend on the database, and the first pass checked them).
      ...(options.typecheck && process.env.STUDIO_TYPE_TESTS !== 'off'
        ? { typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' } }
        : {}),
    },
  });
}
