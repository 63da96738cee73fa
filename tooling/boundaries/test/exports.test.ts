/**
 * Every entry point of every workspace package resolves: its `@studio/source` file exists (what
 * tsx, vitest, tsc and the boundary check load); a built one names `dist/x.js` (what `next build`
 * bundles) and no declaration file (every tsconfig reads types from the source through the
 * condition, so tsup writes none), and the package's tsup config builds exactly those files.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../src/check.mjs';

type Entry = string | { '@studio/source'?: string; types?: string; default?: string };

const packages = ['apps', 'packages', 'tooling']
  .flatMap((group) => readdirSync(path.join(ROOT, group)).map((name) => path.join(group, name)))
  .filter((dir) => existsSync(path.join(ROOT, dir, 'package.json')))
  .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(path.join(ROOT, dir, 'package.json'), 'utf8')) as { name: string; exports?: Record<string, Entry> } }))
  .filter(({ pkg }) => pkg.exports);

/** The dist/ names a package's tsup config builds (`entry` as an object or a list of files). */
async function tsupEntries(dir: string): Promise<string[] | null> {
  const file = path.join(ROOT, dir, 'tsup.config.ts');
  if (!existsSync(file)) return null;
  const config = ((await import(file)) as { default: { entry: Record<string, string> | string[] } }).default;
  const entry = config.entry;
  return (Array.isArray(entry) ? entry.map((f) => path.basename(f).replace(/\.tsx?$/, '')) : Object.keys(entry)).sort();
}

describe.each(packages)('$pkg.name exports', ({ dir, pkg }) => {
  it.each(Object.entries(pkg.exports!))('%s', (key, entry) => {
    if (typeof entry === 'string') {
      // A source-only package (tooling): the file itself.
      expect(existsSync(path.join(ROOT, dir, entry)), `${key}: ${entry} exists`).toBe(true);
      return;
    }
    const source = entry['@studio/source'] ?? entry.default;
    expect(source, `${key}: @studio/source or default`).toBeDefined();
    expect(existsSync(path.join(ROOT, dir, source!)), `${key}: ${source} exists`).toBe(true);
    expect(entry.default, `${key}: default`).toBeDefined();
    if (entry.default!.startsWith('./dist/')) {
      expect(entry['@studio/source'], `${key}: a built entry names its source for tsx and vitest`).toBeDefined();
      expect(entry.default).toMatch(/^\.\/dist\/[\w/-]+\.js$/);
      expect(entry.types, `${key}: no dist/ types (the source under @studio/source gives them)`).toBeUndefined();
    } else {
      // Not built (a vitest global setup, tooling): default and types, when given, are sources that exist.
      for (const file of [entry.default!, entry.types].filter(Boolean)) expect(existsSync(path.join(ROOT, dir, file!)), `${key}: ${file} exists`).toBe(true);
    }
  });

  it('builds exactly the dist/ files its exports name (tsup entries)', async () => {
    const built = await tsupEntries(dir);
    const declared = Object.values(pkg.exports!)
      .map((e) => (typeof e === 'string' ? null : e.default))
      .filter((d): d is string => !!d && d.startsWith('./dist/'))
      .map((d) => d.slice('./dist/'.length, -'.js'.length))
      .sort();
    if (built === null) expect(declared, 'dist/ entries need a tsup config').toEqual([]);
    else expect(built).toEqual(declared);
  });
});

it('finds the packages with entry points', () => {
  expect(packages.map(({ pkg }) => pkg.name)).toEqual(expect.arrayContaining(['@studio/tenancy', '@studio/platform', '@studio/db-schema', '@studio/e2e']));
});
