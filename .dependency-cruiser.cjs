/**
 * The workspace's boundaries, checked by `pnpm lint` (tooling/boundaries/src/check.mjs runs this
 * rule set over every workspace package with its own tsconfig; its tests show each rule failing).
 * Paths are relative to the repository root; a package's own files are `<dir>/<name>/...`.
 */
/** Imports a package makes of itself: the `$1/$2` of the `from` path. */
const SAME_PACKAGE = '^$1/$2/';
const PACKAGE = '^(apps|packages|tooling)/([^/]+)/';
/** Product apps and the generator's template of one: never the platform side. */
const PRODUCTS = '^(apps/(invoices|lessons)|turbo/generators/templates)/';
/** The platform side: @studio/platform and the export engine under it (@studio/tenancy/lifecycle). */
const PLATFORM = ['^packages/platform/', '^@studio/platform(/|$)', '^packages/tenancy/src/lifecycle/', '^@studio/tenancy/lifecycle$'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules that import each other (type-only imports included): move what both need into a third module.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'products-not-platform',
      severity: 'error',
      comment:
        'Product apps (and the template of one) never import the platform side (@studio/platform: the BYPASSRLS console back end, break-glass, export/import/move/erase of any tenant). A product exports its own tenant with @studio/tenancy/export.',
      from: { path: PRODUCTS },
      to: { path: PLATFORM },
    },
    {
      name: 'platform-only-for-admin-and-cli',
      severity: 'error',
      comment: 'Only apps/admin and the CLI (tooling/cli) import @studio/platform; the export engine (@studio/tenancy/lifecycle) is for @studio/platform and the CLI.',
      from: { pathNot: ['^apps/admin/', '^tooling/cli/', '^packages/platform/', '^packages/tenancy/'] },
      to: { path: PLATFORM },
    },
    {
      name: 'no-internal-of-another-package',
      severity: 'error',
      comment: "A package's src/internal/ is shared by its own entry points only: import what you need from one of them (package.json `exports`).",
      from: { path: PACKAGE },
      to: { path: '^(apps|packages|tooling)/[^/]+/src/internal/', pathNot: SAME_PACKAGE },
    },
    {
      name: 'only-public-entry-points',
      severity: 'error',
      comment:
        "Another package's files are reached through its name and an entry point of its package.json `exports` (`@studio/tenancy/audit`), never by a relative path into it.",
      from: { path: PACKAGE },
      // Apps have no `exports`: the browser tests (tooling/e2e) read an app's permission table from its file.
      to: { dependencyTypes: ['local'], path: '^(packages|tooling)/', pathNot: SAME_PACKAGE },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to no file: a deep import past a package\'s `exports` (`@studio/tenancy/src/...`), or a missing module.',
      from: { pathNot: '^turbo/generators/templates/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['(^|/)(node_modules|dist|\\.next|\\.turbo|test-results)/', '(^|/)next-env\\.d\\.ts$'] },
    tsPreCompilationDeps: true,
    combinedDependencies: false,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      // Sources, as tsx and vitest run them (`--conditions=@studio/source`), so the check follows
      // an import into the file it reaches.
      conditionNames: ['@studio/source', 'import', 'require', 'node', 'types', 'default'],
      extensions: ['.ts', '.tsx', '.d.ts', '.mts', '.js', '.mjs', '.cjs', '.json'],
      mainFields: ['module', 'main', 'types'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
