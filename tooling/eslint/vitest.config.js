// Plain vitest config: this package sits below @studio/vitest-config in the workspace graph.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.js'],
    // Each case lints a file with the whole typed config (type information loads the TS program):
    // seconds when the machine is quiet, more than vitest's default 5 s when it is not.
    testTimeout: 60_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
