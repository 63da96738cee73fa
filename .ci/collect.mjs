// Copies each package's vitest JSON report into one folder, and records packages whose test
// script ran no report (a crash before vitest wrote it counts as a failure in the summary).
// Usage: node .ci/collect.mjs <out dir> [script name, default test] [--except <package> ...]
// (--except: packages the phase left out on purpose, e.g. the browser tests in the service phase)
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const exceptAt = args.indexOf('--except');
const except = exceptAt >= 0 ? args.splice(exceptAt).slice(1) : [];
const out = args[0];
const script = args[1] ?? 'test';
const missing = [];
for (const group of ['apps', 'packages', 'tooling']) {
  if (!existsSync(group)) continue;
  for (const name of readdirSync(group)) {
    const dir = path.join(group, name);
    const pkgFile = path.join(dir, 'package.json');
    if (!existsSync(pkgFile)) continue;
    const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
    if (!pkg.scripts?.[script] || except.includes(pkg.name)) continue;
    const report = path.join(dir, 'test-results', 'vitest.json');
    if (existsSync(report)) copyFileSync(report, path.join(out, `${group}-${name}.json`));
    else missing.push(pkg.name);
  }
}
writeFileSync(path.join(out, 'missing.json'), JSON.stringify(missing));
