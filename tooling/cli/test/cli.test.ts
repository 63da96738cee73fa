/**
 * `pnpm studio`: the CLI end to end, as a child process against a seeded database (the export
 * engine itself is tested in packages/tenancy/test/export.test.ts, the lifecycle in
 * packages/platform/test).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { seedDemo } from '@studio/db-schema/seed';
import { createTestDatabase, type TestDatabase } from '@studio/db-schema/testing';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let seeded: { testDb: TestDatabase; owner: postgres.Sql };

beforeAll(async () => {
  const testDb = await createTestDatabase();
  await seedDemo(testDb.urls.owner);
  seeded = { testDb, owner: postgres(testDb.urls.owner, { max: 1, onnotice: () => {} }) };
}, 60_000);

afterAll(async () => {
  await seeded?.owner.end();
  await seeded?.testDb.drop();
});

// Each case starts the CLI (tsx compiling the sources) several times: minutes on a loaded machine, not seconds.
describe('pnpm studio', { timeout: 180_000 }, () => {
  // Run from this package, where tsx resolves; files go to absolute paths.
  const cli = (args: string[], _dir: string, cwd = path.join(import.meta.dirname, '..'), env: Record<string, string> = {}) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@studio/source', path.join(import.meta.dirname, '../src/cli.ts'), ...args], {
        cwd,
        env: { ...process.env, DATABASE_URL: '', DATABASE_APP_URL: seeded.testDb.urls.app, DATABASE_PLACEMENTS: '', ...env },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  it('exports a tenant to a file with its manifest, and lists tenants', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'studio-export-'));
    try {
      const done = await cli(['tenants', 'export', 'globex', '--out', path.join(dir, 'globex.ndjson')], dir);
      expect(done.stderr).toContain('exported invoices');
      expect(done.code).toBe(0);
      expect(done.stdout).toMatch(/Exported globex: \d+ rows/);
      const manifest = JSON.parse(await readFile(path.join(dir, 'globex.ndjson.manifest.json'), 'utf8')) as { tables: { name: string; rows: number }[] };
      const lines = (await readFile(path.join(dir, 'globex.ndjson'), 'utf8')).trim().split('\n');
      expect(lines).toHaveLength(manifest.tables.reduce((n, t) => n + t.rows, 0));
      // The file exists now: a second export to it is refused, the file untouched.
      const again = await cli(['tenants', 'export', 'globex', '--out', path.join(dir, 'globex.ndjson')], dir);
      expect(again.code).toBe(2);
      expect(again.stderr).toContain('exists');
      const listed = await cli(['tenants', 'list'], dir);
      expect(listed.code).toBe(0);
      expect(listed.stdout).toMatch(/acme\s.*active\s.*shared\s.*\d+\s.*\d+(\.\d)? (B|kB)/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('says what is wrong, with exit codes', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'studio-export-'));
    try {
      const unknown = await cli(['tenants', 'export', 'nosuch', '--out', path.join(dir, 'nosuch.ndjson')], dir);
      expect(unknown).toMatchObject({ code: 1 });
      expect(unknown.stderr).toContain('No tenant "nosuch"');
      expect(await readdir(dir)).toEqual([]); // nothing left behind
      const usage = await cli(['tenants', 'export', 'acme', '--format', 'xml', '--out', path.join(dir, 'x')], dir);
      expect(usage.code).toBe(2);
      expect(usage.stderr).toContain('--format is ndjson or sql');
      expect((await cli(['tenants', 'frobnicate'], dir)).code).toBe(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('erases only with the slug repeated, and imports only a file with its manifest', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'studio-erase-'));
    try {
      const refused = await cli(['tenants', 'erase', 'initech', '--confirm', 'initec'], dir);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('--confirm initech');
      const [still] = await seeded.owner<{ n: number }[]>`select count(*)::int as n from tenants where slug = 'initech'`;
      expect(still!.n).toBe(1);
      const missing = await cli(['tenants', 'import', path.join(dir, 'nothing.ndjson')], dir);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('No manifest at');
      const noTarget = await cli(['tenants', 'move', 'acme'], dir);
      expect(noTarget.code).toBe(2);
      expect(noTarget.stderr).toContain('--to <placement>');
      const unknown = await cli(['tenants', 'move', 'acme', '--to', 'eu-9'], dir);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('"eu-9", which DATABASE_PLACEMENTS does not name');
      // A node (host:port) is a Citus move: refused here, one line, on a database without Citus.
      const noCitus = await cli(['tenants', 'move', 'acme', '--to', '127.0.0.1:9701'], dir, undefined, { DATABASE_URL: seeded.testDb.urls.migrate });
      expect(noCitus.code).toBe(1);
      expect(noCitus.stderr.trim().split('\n')).toEqual([expect.stringMatching(/is not a Citus database \(no citus extension\)/)]);
      const noUrl = await cli(['tenants', 'move', 'acme', '--to', '127.0.0.1:9701'], dir);
      expect(noUrl.code).toBe(2);
      expect(noUrl.stderr).toContain('needs DATABASE_URL');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
