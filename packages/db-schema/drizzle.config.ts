import { defineConfig } from 'drizzle-kit';

// `pnpm db:generate` writes SQL migrations from the schema; they are checked in. What drizzle-kit
// cannot emit (FORCE RLS, grants) lives in custom migrations beside them.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema/index.ts',
  out: './drizzle',
  strict: true,
  verbose: false,
});
