// Shared flat config for every package and app, with the contract rules (./plugin).
import comments from '@eslint-community/eslint-plugin-eslint-comments/configs';
import js from '@eslint/js';
import drizzle from 'eslint-plugin-drizzle';
import tseslint from 'typescript-eslint';
import studio from './plugin/index.js';

const base = tseslint.config(
  { ignores: ['**/dist/**', '**/.next/**', '**/node_modules/**', '**/.turbo/**', '**/coverage/**', '**/next-env.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  comments.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { studio },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // A disable needs its reason: `// eslint-disable-next-line rule -- why`.
      '@eslint-community/eslint-comments/require-description': ['error', { ignore: [] }],
      // C7 everywhere: roles are checked by the auth helpers.
      'studio/no-role-admin-check': 'error',
    },
  },
);

/**
 * process.env is read in env modules only: each app's `src/env.ts` (t3-env: every variable
 * validated at build and at start, empty counts as unset) and the modules the packages export for
 * it. Anywhere else a variable would escape that validation and the README's list. For apps'
 * and packages' `src/`; paths are relative to the package whose eslint.config.js this is.
 */
const envAccess = {
  files: ['src/**/*.{ts,tsx,js,mjs}'],
  ignores: [
    // The env modules: apps' src/env.ts, @studio/auth's env.ts, @studio/tenancy's env.ts (helpers
    // the CLI and tests call with an environment of their own) and env-schema.ts (its t3-env piece).
    'src/env.ts',
    'src/env-schema.ts',
    // @studio/db-schema's database settings (readDbEnv: DATABASE_*, DB_*, TENANT_CONTEXT_KEY).
    'src/config.ts',
    // The CLIs (`pnpm db:*`, `pnpm studio`): scripts that hand their environment to those helpers and read DEBUG.
    'src/cli.ts',
    // Test harness run by vitest (global setup: the Postgres server the run was given).
    'src/testing/**',
  ],
  rules: {
    'no-restricted-syntax': [
      'error',
      {
        // process.env.NEXT_RUNTIME is Next's build-time switch (instrumentation.ts), not a setting.
        selector: "MemberExpression[object.name='process'][property.name='env']:not(MemberExpression[property.name='NEXT_RUNTIME'] > MemberExpression.object)",
        message: "Read environment variables in the app's src/env.ts (validated with t3-env) and import `env` from there; packages export their piece from their env module.",
      },
      {
        selector: "MemberExpression[object.name='process'][computed=true][property.value='env']",
        message: "Read environment variables in the app's src/env.ts (validated with t3-env) and import `env` from there.",
      },
      {
        selector: "VariableDeclarator[init.name='process'] > ObjectPattern > Property[key.name='env']",
        message: "Read environment variables in the app's src/env.ts (validated with t3-env) and import `env` from there.",
      },
      {
        selector: "ImportDeclaration[source.value=/^(node:)?process$/] > ImportSpecifier[imported.name='env']",
        message: "Read environment variables in the app's src/env.ts (validated with t3-env) and import `env` from there.",
      },
    ],
  },
};

/**
 * The config of a package (packages/*): the base, plus process.env only in env modules. The
 * tooling packages (tooling/*: the dev orchestrator, test harnesses, the e2e and reliability
 * drivers) use the base alone: they are scripts that configure child processes through the
 * environment.
 */
export function packageConfig() {
  return tseslint.config(...base, envAccess);
}

export default base;

/**
 * The config of a product app: the base, plus the rules that keep product code on the contract.
 * `admin: true` for apps/admin, the one app allowed the BYPASSRLS client.
 */
export function appConfig({ admin = false } = {}) {
  return tseslint.config(...base, envAccess, {
    plugins: { drizzle },
    rules: {
      'studio/no-raw-db-client': ['error', { allowAdmin: admin }],
      'studio/no-raw-cache-key': 'error',
      'studio/no-host-parsing': 'error',
      'studio/tenant-job-only': 'error',
      'drizzle/enforce-delete-with-where': ['error', { drizzleObjectName: ['db', 'tdb', 'tx'] }],
      'drizzle/enforce-update-with-where': ['error', { drizzleObjectName: ['db', 'tdb', 'tx'] }],
    },
  }, {
    // Tests arrange data behind the scoped client's back (as the owner, or raw as the app role).
    files: ['test/**', '**/*.test.ts', '**/*.test.tsx'],
    rules: { 'studio/no-raw-db-client': 'off' },
  });
}
