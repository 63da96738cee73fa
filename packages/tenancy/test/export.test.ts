import { createHash } from 'node:crypto';
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
    for (const table of ['customers', 'invoices', 'invoice_lines', 'lesson_plans']) {
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

describe('exportOwnTenant (@studio/tenancy/export, what a product calls)', () => {
  it("exports the scoped client's own tenant, and refuses anything that is not a scoped client", async () => {
    const { createDatabase } = await import('../src/index');
    const { exportOwnTenant } = await import('../src/export');
    const db = createDatabase({ url: seeded.testDb.urls.app, tenantCache: { listen: false } });
    try {
      const tdb = await db.tenant(seeded.ids.globex);
      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on('data', (c: Buffer) => chunks.push(c));
      const manifest = await exportOwnTenant(tdb, { urls: { shared: seeded.testDb.urls.app }, out });
      out.end();
      expect(manifest.tenant).toMatchObject({ slug: 'globex', id: seeded.ids.globex });
      const text = Buffer.concat(chunks).toString('utf8');
      expect(text).not.toContain(seeded.ids.acme);
      // A hand-made look-alike naming another tenant is not a scoped client.
      const forged = { tenantId: seeded.ids.acme, tenant: { ...tdb.tenant, id: seeded.ids.acme, slug: 'acme' } };
      await expect(exportOwnTenant(forged as never, { urls: { shared: seeded.testDb.urls.app }, out: new PassThrough() })).rejects.toThrow(/scoped client/);
    } finally {
      await db.close();
    }
  });
});
