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

export default base;

/**
 * The config of a product app: the base, plus the rules that keep product code on the contract.
 * `admin: true` for apps/admin, the one app allowed the BYPASSRLS client.
 */
export function appConfig({ admin = false } = {}) {
  return tseslint.config(...base, {
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
