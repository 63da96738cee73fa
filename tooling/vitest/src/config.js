// Plain JavaScript: vitest loads config files with Node, which cannot import TypeScript from a
// workspace package. Types are in config.d.ts.
import { defineConfig } from 'vitest/config';

/** Workspace packages resolve to their TypeScript source in tests, so tests need no build. */
const conditions = ['@studio/source', 'module', 'node', 'import', 'default'];

/** @param {import('./config').StudioVitestOptions} [options] */
export function createVitestConfig(options = {}) {
  const globalSetup = [
    ...(options.database ? ['@studio/vitest-config/postgres-setup'] : []),
    ...(options.globalSetup ?? []),
  ];
  return defineConfig({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: conditions } },
    // Global setup files run in vitest's own environment, which does not inherit `ssr`.
    environments: { __vitest__: { resolve: { conditions, externalConditions: conditions } } },
    test: {
      include: options.include ?? ['src/**/*.test.ts', 'test/**/*.test.ts'],
      globalSetup,
      testTimeout: 30_000,
      hookTimeout: 120_000,
      // Every package writes its results where .ci/run adds them up.
      reporters: ['default', 'json'],
      outputFile: { json: 'test-results/vitest.json' },
      // Type tests (`*.test-d.ts`): checked by tsc, reported as tests; they prove what must not compile.
      ...(options.typecheck
        ? { typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' } }
        : {}),
    },
  });
}
