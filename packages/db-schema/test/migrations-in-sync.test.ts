import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { migrationsFolder } from '../src/migrate';

const run = promisify(execFile);
const packageRoot = path.resolve(import.meta.dirname, '..');

describe('checked-in migrations', () => {
  // A schema change without `pnpm db:generate` would reach no database; this catches it.
  it('match the drizzle schema (drizzle-kit generate finds nothing to add)', async () => {
    // drizzle-kit resolves --out relative to the working directory, so the copy lives inside the package.
    const scratch = await mkdtemp(path.join(packageRoot, '.drizzle-sync-'));
    try {
      await cp(migrationsFolder, scratch, { recursive: true });
      const { stdout } = await run(
        'pnpm',
        ['exec', 'drizzle-kit', 'generate', '--dialect', 'postgresql', '--schema', './src/schema/index.ts', '--out', `./${path.basename(scratch)}`],
        { cwd: packageRoot },
      );
      expect(stdout).toContain('No schema changes');
      expect((await readdir(scratch)).sort()).toEqual((await readdir(migrationsFolder)).sort());
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }, 120_000); // drizzle-kit started as a process: slow on a loaded CI machine.
});
