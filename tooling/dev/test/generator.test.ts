/**
 * `pnpm turbo gen product` in a fresh clone of this repo: the generated app must typecheck,
 * lint, pass its contract test and build, untouched, and db-schema's own checks (migrations in
 * sync with the schema, the schema lint) must still pass with its new table.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim();
let dir: string;
let repo: string;

function run(command: string, args: string[], cwd = repo): string {
  const started = Date.now();
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CI: 'true', TURBO_TELEMETRY_DISABLED: '1', NEXT_TELEMETRY_DISABLED: '1' },
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  } finally {
    console.log(`  ${command} ${args.join(' ')} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'studio-gen-'));
  repo = path.join(dir, 'repo');
  // The committed tree: what a developer who pulls main gets.
  run('git', ['clone', '--quiet', root, repo], dir);
  run('pnpm', ['install', '--prefer-offline', '--frozen-lockfile']);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('turbo gen product', () => {
  it('writes an app that typechecks, lints, passes its contract test and builds', () => {
    run('pnpm', ['turbo', 'gen', 'product', '--args', 'sample', '3098']);
    expect(existsSync(path.join(repo, 'apps/sample/src/proxy.ts'))).toBe(true);
    expect(existsSync(path.join(repo, 'packages/db-schema/src/schema/sample-items.ts'))).toBe(true);
    // The new workspace package joins the lockfile, from the local store.
    run('pnpm', ['install', '--prefer-offline', '--no-frozen-lockfile']);
    run('pnpm', ['--filter', '@studio/sample', 'run', 'typecheck']);
    run('pnpm', ['--filter', '@studio/sample', 'run', 'lint']);
    const tests = run('pnpm', ['--filter', '@studio/sample', 'run', 'test']);
    // Its own three tests, and the leak test kit's matrix over every tenant table.
    expect(tests).toMatch(/\d{2,} passed/);
    expect(tests).not.toMatch(/failed/);
    run('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=@studio/sample']);
    expect(existsSync(path.join(repo, 'apps/sample/.next/standalone'))).toBe(true);
    // The schema with the new table: migrations in sync, the lint satisfied, RLS forced.
    run('pnpm', ['--filter', '@studio/db-schema', 'run', 'test']);
    run('pnpm', ['--filter', '@studio/db-schema', 'run', 'cli', 'lint']);
  });
});
