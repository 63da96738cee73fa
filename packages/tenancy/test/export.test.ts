import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportTenant, type ExportFormat } from '../src/lifecycle/export';
import { asTenant, seededDatabase, type SeededDatabase } from './helpers';

let seeded: SeededDatabase;

beforeAll(async () => {
  seeded = await seededDatabase();
}, 60_000);

afterAll(async () => {
  await seeded?.close();
});

async function run(slug: string, format: ExportFormat) {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const progress: string[] = [];
  const tables: [number, number][] = [];
  const manifest = await exportTenant({
    urls: { shared: seeded.testDb.urls.app },
    slug,
    format,
    out,
    onProgress: (p) => {
      progress.push(p.table);
      tables.push([p.tablesDone, p.tablesTotal]);
    },
  });
  out.end();
  return { manifest, text: Buffer.concat(chunks).toString('utf8'), progress, tables };
}

describe('tenants export', () => {
  it("writes every row of acme's tables and platform rows, and nothing of globex's (ndjson)", async () => {
    const { manifest, text, progress, tables } = await run('acme', 'ndjson');
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as { table: string; row: Record<string, unknown> });
    expect(manifest.tenant).toMatchObject({ slug: 'acme', id: seeded.ids.acme });
    // Other tenants' ids appear nowhere in the dump.
    expect(text).not.toContain(seeded.ids.globex);
    expect(text).not.toContain(seeded.ids.initech);
    for (const line of lines) if ('tenant_id' in line.row) expect(line.row.tenant_id).toBe(seeded.ids.acme);
    // Counts match the database, table by table.
    for (const table of ['customers', 'invoices', 'lesson_plans']) {
      // lesson_plans runs without RLS, so the filter is spelled out.
      const [counted] = await asTenant(seeded.owner, seeded.ids.acme, (tx) =>
        tx.unsafe<{ n: number }[]>(`select count(*)::int as n from "${table}" where tenant_id = $1`, [seeded.ids.acme]),
      );
      const n = counted!.n;
      expect(manifest.tables.find((t) => t.name === table)?.rows, table).toBe(n);
      expect(lines.filter((l) => l.table === table)).toHaveLength(n);
    }
    expect(manifest.tables.find((t) => t.name === 'tenants')?.rows).toBe(1);
    expect(manifest.tables.find((t) => t.name === 'memberships')?.rows).toBe(2); // alice (owner), dave (member)
    // Members come without credentials.
    const users = lines.filter((l) => l.table === 'users').map((l) => l.row);
    expect(users.map((u) => u.email).sort()).toEqual(['alice@acme.test', 'dave@example.test']);
    expect(users.every((u) => !('password' in u) && !('is_platform_admin' in u))).toBe(true);
    expect(progress).toContain('invoices');
    // Tables finished count up to the total, which is every table of the manifest (a progress bar's measure).
    expect(tables.at(-1)).toEqual([manifest.tables.length, manifest.tables.length]);
    expect(tables.map(([done]) => done)).toEqual([...tables.map(([done]) => done)].sort((a, b) => a - b));
  });

  it('records checksums of each table\'s lines as written', async () => {
    const { manifest, text } = await run('globex', 'ndjson');
    for (const table of manifest.tables) {
      const hash = createHash('sha256');
      for (const line of text.trim().split('\n')) {
        const parsed = JSON.parse(line) as { table: string; row: unknown };
        if (parsed.table === table.name) hash.update(`${line}\n`);
      }
      expect(hash.digest('hex'), table.name).toBe(table.sha256);
    }
  });

  it('carries awkward text through ndjson unchanged: quotes, backslashes, line breaks, control characters', async () => {
    const notes = 'a "quoted", \\back\\slashed\nmulti-line\tnote \u0001\u0002 \u00e9\u{1F600} \\. end';
    const [row] = await asTenant(seeded.owner, seeded.ids.initech, async (tx) => {
      const [customer] = await tx<{ id: string }[]>`select id from customers where tenant_id = ${seeded.ids.initech} limit 1`;
      return tx<{ id: string }[]>`insert into invoices (tenant_id, customer_id, number, amount_cents, notes)
        values (${seeded.ids.initech}, ${customer!.id}, 'AWKWARD-1', 1, ${notes}) returning id`;
    });
    const { text } = await run('initech', 'ndjson');
    const exported = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { table: string; row: { id: string; notes: string } })
      .find((l) => l.table === 'invoices' && l.row.id === row!.id);
    expect(exported?.row.notes).toBe(notes);
  });

  it('writes a COPY script in sql format, with the same counts', async () => {
    const ndjson = await run('initech', 'ndjson');
    const { manifest, text } = await run('initech', 'sql');
    expect(text).toContain('COPY "invoices" (');
    expect(text).toContain('\n\\.\n');
    expect(manifest.tables.map((t) => [t.name, t.rows])).toEqual(ndjson.manifest.tables.map((t) => [t.name, t.rows]));
    expect(text).not.toContain(seeded.ids.acme);
  });

  it('refuses an unknown or malformed slug with a clear message', async () => {
    await expect(run('nosuch', 'ndjson')).rejects.toMatchObject({ code: 'TENANT_NOT_FOUND' });
    await expect(run("acme' or 1=1 --", 'ndjson')).rejects.toMatchObject({ code: 'TENANT_SLUG_INVALID' });
  });
});

describe('pnpm studio', () => {
  // Run from this package, where tsx resolves; files go to absolute paths.
  const cli = (args: string[], _dir: string, cwd = path.join(import.meta.dirname, '..')) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@studio/source', path.join(import.meta.dirname, '../src/cli.ts'), ...args], {
        cwd,
        env: { ...process.env, DATABASE_URL: '', DATABASE_APP_URL: seeded.testDb.urls.app, DATABASE_PLACEMENTS: '' },
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
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
