// Adds up vitest's JSON reports of every phase and prints the line CI reads.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const [root, stepFailuresArg] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
const phases = existsSync(root) ? readdirSync(root) : [];
for (const phase of phases) {
  const dir = path.join(root, phase);
  for (const file of readdirSync(dir)) {
    const data = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    if (file === 'missing.json') {
      for (const name of data) console.log(`::: ${phase}: ${name} wrote no test report (counted as 1 failed)`);
      failed += data.length;
      continue;
    }
    passed += data.numPassedTests ?? 0;
    failed += data.numFailedTests ?? 0;
    skipped += (data.numPendingTests ?? 0) + (data.numTodoTests ?? 0);
    // A file that failed to load has no tests to count: count the file.
    for (const suite of data.testResults ?? []) {
      if (suite.status === 'failed' && (suite.assertionResults ?? []).length === 0) failed += 1;
    }
  }
  console.log(`::: phase ${phase} counted`);
}
const stepFailures = Number(stepFailuresArg ?? 0);
if (stepFailures > 0) console.log(`::: ${stepFailures} CI step(s) failed (see ::: lines above)`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(stepFailures > 0 || failed > 0 ? 1 : 0);
