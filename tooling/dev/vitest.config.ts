import { defineConfig } from 'vitest/config';

// The generator test builds a whole app in a copy of the repo: it gets its own, long timeout.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 15 * 60_000,
    hookTimeout: 5 * 60_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
