import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    schema: 'src/schema/index.ts',
    'table-kinds': 'src/schema/util/table-kinds.ts',
    config: 'src/config.ts',
    'tenant-context': 'src/tenant-context.ts',
    bootstrap: 'src/bootstrap.ts',
    migrate: 'src/migrate.ts',
    check: 'src/check.ts',
    distribute: 'src/distribute.ts',
    lint: 'src/lint/schema-lint.ts',
    seed: 'src/seed.ts',
    testing: 'src/testing/index.ts',
    backfills: 'src/backfills.ts',
    locale: 'src/locale.ts',
  },
  format: ['esm'],
  // No declaration files: every tsconfig here resolves a workspace package to its sources (the
  // @studio/source condition), so nothing read them, and they were most of the build (tenancy:
  // 50 s of 52).
  dts: false,
  clean: true,
  target: 'node20',
  external: ['vitest'],
});
