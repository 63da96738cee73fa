// Copies each package's vitest JSON report into one folder, and records packages whose test
// script ran no report (a crash before vitest wrote it counts as a failure in the summary).
// Usage: node .ci/collect.mjs <out dir> [script name, default test]
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const out = process.argv[2];
const script = process.argv[3] ?? 'test';
const missing = [];
for (const group of ['apps', 'packages', 'tooling']) {
  if (!existsSync(group)) continue;
  for (const name of readdirSync(group)) {
    const dir = path.join(group, name);
    const pkgFile = path.join(dir, 'package.json');
    if (!existsSync(pkgFile)) continue;
    const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
    if (!pkg.scripts?.[script]) continue;
    const report = path.join(dir, 'test-results', 'vitest.json');
    if (existsSync(report)) copyFileSync(report, path.join(out, `${group}-${name}.json`));
    else missing.push(pkg.name);
  }
}
writeFileSync(path.join(out, 'missing.json'), JSON.stringify(missing));
