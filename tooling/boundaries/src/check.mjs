/**
 * `pnpm lint`'s boundary check: the rules of the repository's .dependency-cruiser.cjs (no cycles,
 * products never import the platform side, nothing imports another package's src/internal/, other
 * packages only through their `exports`), run by dependency-cruiser over every workspace package
 * and the generator's template, one at a time (each with the `~/` paths of its tsconfig). Paths in the
 * report are relative to the repository root. Exit 1 on any violation, naming rule and files.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import { cruise, format } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';

export const ROOT = path.resolve(import.meta.dirname, '../../..');
const TEMPLATE = 'turbo/generators/templates/product/app';

/** Every workspace package (apps/*, packages/*, tooling/*) and the product template, as root-relative dirs. */
export function boundaryTargets(root = ROOT) {
  const dirs = ['apps', 'packages', 'tooling'].flatMap((group) =>
    readdirSync(path.join(root, group), { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(path.join(root, group, d.name, 'package.json')))
      .map((d) => `${group}/${d.name}`),
  );
  return [...dirs, TEMPLATE];
}

/**
 * The `paths` of a package's tsconfig.json (`"~/*": ["./src/*"]`) as resolver aliases: the apps
 * import their own modules as `~/product`. (dependency-cruiser's tsconfig support resolves them
 * against the working directory, which is the repository root here.)
 */
export function aliasesOf(dir, root = ROOT) {
  const file = path.join(root, dir, 'tsconfig.json');
  if (!existsSync(file)) return {};
  const paths = JSON.parse(readFileSync(file, 'utf8')).compilerOptions?.paths ?? {};
  return Object.fromEntries(
    Object.entries(paths)
      .filter(([key, targets]) => key.endsWith('/*') && targets[0]?.endsWith('/*'))
      .map(([key, targets]) => [key.slice(0, -2), path.join(root, dir, targets[0].slice(0, -2))]),
  );
}

/**
 * Cruises `files` (root-relative files or dirs of one package, `dir`) with the rule set. Returns
 * the violations and dependency-cruiser's `err` report of them.
 */
export async function cruisePackage(files, { root = ROOT, dir = files[0] } = {}) {
  const cwd = process.cwd();
  process.chdir(root); // dependency-cruiser reports and matches paths relative to the working directory
  try {
    const options = await extractDepcruiseOptions(path.join(root, '.dependency-cruiser.cjs'));
    const { output } = await cruise(files, options, { alias: aliasesOf(dir, root) });
    const violations = output.summary.violations;
    const report = violations.length ? (await format(output, { outputType: 'err' })).output : '';
    return { violations, report };
  } finally {
    process.chdir(cwd);
  }
}

/** The whole repository, one package at a time. */
export async function checkBoundaries(root = ROOT) {
  const all = [];
  let report = '';
  for (const dir of boundaryTargets(root)) {
    const result = await cruisePackage([dir], { root, dir });
    all.push(...result.violations);
    report += result.report;
  }
  return { violations: all, report };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { violations, report } = await checkBoundaries();
  if (violations.length) {
    process.stderr.write(report);
    process.stderr.write(`\nBoundary check: ${violations.length} violation(s) (.dependency-cruiser.cjs says what each rule is for).\n`);
    process.exit(1);
  }
  process.stdout.write(`Boundary check: ${boundaryTargets().length} packages, no violations.\n`);
}
