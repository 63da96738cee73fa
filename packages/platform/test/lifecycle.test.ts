import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { databaseUrls, readDbEnv, rolesFromEnv, tenantContextValue, urlForDatabase } from '@studio/db-schema/config';
import { migrateDatabase } from '@studio/db-schema/migrate';
import { startEmbeddedPostgres, type RunningPostgres } from '@studio/pg-server';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseTargets } from '../src/lifecycle/index';
import { eraseTenant } from '../src/lifecycle/index';
import { exportTenant } from '../src/lifecycle/index';
import { importTenant } from '../src/lifecycle/index';
import { asTenant, seededDatabase, type SeededDatabase } from './helpers';

// Two real Postgres servers: the vitest one holds the shared database, a second embedded one
// holds the dedicated database a tenant is imported or moved into.
let seeded: SeededDatabase;
let second: RunningPostgres;
let dedicated: { app: string; owner: string; migrate: string };
let targets: DatabaseTargets;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'studio-lifecycle-'));
  [seeded, second] = await Promise.all([seededDatabase(), startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), persistent: false, fast: true })]);
  const urls = databaseUrls(urlForDatabase(second.url, 'studio_dedicated'), { ...readDbEnv(), DATABASE_APP_URL: undefined, DATABASE_ADMIN_URL: undefined }, rolesFromEnv());
  await migrateDatabase({ url: urls.migrate, roles: rolesFromEnv() });
  dedicated = urls;
  targets = {
    shared: { app: seeded.testDb.urls.app, owner: seeded.testDb.urls.owner },
    dedicated: { app: urls.app, owner: urls.owner },
  };
  // Some audit events for acme, to carry their hash chain across.
  for (const action of ['invoice.created', 'invoice.sent', 'invoice.paid']) {
    await asTenant(seeded.owner, seeded.ids.acme, (tx) => tx`insert into audit_events (tenant_id, action, target, payload) values (${seeded.ids.acme}, ${action}, 'invoice:1', ${tx.json({ n: 1 })})`);
  }
}, 120_000);

afterAll(async () => {
  await seeded?.close();
  await second?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function exportToFile(slug: string): Promise<string> {
  const file = path.join(dir, `${slug}-${Date.now()}.ndjson`);
  const out = createWriteStream(file);
  const manifest = await exportTenant({ urls: { shared: targets.shared.app, dedicated: dedicated.app }, slug, out });
  out.end();
  await finished(out);
  await writeFile(`${file}.manifest.json`, JSON.stringify(manifest));
  return file;
}

async function countsIn(url: string, tenantId: string): Promise<Record<string, number>> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await asTenant(sql, tenantId, async (tx) => {
      const counts: Record<string, number> = {};
      for (const table of ['customers', 'invoices', 'invoice_lines', 'lesson_plans', 'audit_events', 'api_tokens', 'usage_counters']) {
        const [row] = await tx.unsafe<{ n: number }[]>(`select count(*)::int as n from "${table}" where tenant_id = $1`, [tenantId]);
        counts[table] = row!.n;
      }
      const [t] = await tx<{ n: number }[]>`select count(*)::int as n from tenants where id = ${tenantId}`;
      counts.tenants = t!.n;
      return counts;
    });
  } finally {
    await sql.end();
  }
}

describe('tenants import', () => {
  it('loads an export into a database on another server: same rows, the same audit chain', async () => {
    const file = await exportToFile('acme');
    const before = await countsIn(targets.shared.owner, seeded.ids.acme);
    const result = await importTenant({ targets, file, database: 'dedicated' });
    expect(result.rows.invoices).toBe(before.invoices);
    expect(await countsIn(dedicated.owner, seeded.ids.acme)).toEqual(before);
    // The chain trigger re-chained the events in order: same seq and hashes as the source.
    const chain = async (url: string) => {
      const sql = postgres(url, { max: 1, onnotice: () => {} });
      try {
        return await asTenant(sql, seeded.ids.acme, (tx) => tx`select seq, hash from audit_events where tenant_id = ${seeded.ids.acme} order by seq`);
      } finally {
        await sql.end();
      }
    };
    const source = await chain(targets.shared.owner);
    expect(source.length).toBeGreaterThanOrEqual(3);
    expect(await chain(dedicated.owner)).toEqual(source);
    // Members and invitations stay with the platform (shared); the dedicated copy holds data.
    const sql = postgres(dedicated.owner, { max: 1, onnotice: () => {} });
    try {
      const [m] = await sql<{ n: number }[]>`select count(*)::int as n from memberships`;
      expect(m!.n).toBe(0);
    } finally {
      await sql.end();
    }
  });

  it('refuses a target that already holds the tenant, and changes nothing', async () => {
    const file = await exportToFile('acme');
    const before = await countsIn(dedicated.owner, seeded.ids.acme);
    await expect(importTenant({ targets, file, database: 'dedicated' })).rejects.toMatchObject({ code: 'TENANT_EXISTS', message: expect.stringContaining('already holds tenant acme') });
    expect(await countsIn(dedicated.owner, seeded.ids.acme)).toEqual(before);
  });

  it('refuses a file that does not match its manifest, naming the table, before writing anything', async () => {
    const file = await exportToFile('globex');
    const lines = (await readFile(file, 'utf8')).split('\n');
    const i = lines.findIndex((l) => l.startsWith('{"table":"invoices"'));
    lines[i] = lines[i]!.replace(/"amount_cents":\d+/, '"amount_cents":1');
    await writeFile(file, lines.join('\n'));
    await expect(importTenant({ targets, file, database: 'dedicated' })).rejects.toMatchObject({
      code: 'IMPORT_CHECKSUM_MISMATCH',
      message: expect.stringContaining('table "invoices"'),
    });
    expect((await countsIn(dedicated.owner, seeded.ids.globex)).tenants).toBe(0);
  });

  it('says so when the target database cannot be reached, or is not configured', async () => {
    const file = await exportToFile('initech');
    const down = { ...targets, down: { app: 'postgres://studio_app:x@127.0.0.1:1/nothing', owner: 'postgres://studio_owner:x@127.0.0.1:1/nothing' } };
    await expect(importTenant({ targets: down, file, database: 'down' })).rejects.toMatchObject({ code: 'DATABASE_UNREACHABLE', message: expect.stringContaining('Nothing was changed') });
    await expect(importTenant({ targets, file, database: 'eu-9' })).rejects.toMatchObject({ code: 'TENANT_PLACEMENT_UNKNOWN' });
  });
});

describe('tenants erase', () => {
  it('refuses without the slug repeated, and changes nothing', async () => {
    const before = await countsIn(targets.shared.owner, seeded.ids.globex);
    await expect(eraseTenant({ targets, slug: 'globex', confirm: 'acme' })).rejects.toMatchObject({ code: 'TENANT_ERASE_UNCONFIRMED' });
    await expect(eraseTenant({ targets, slug: 'globex', confirm: undefined })).rejects.toMatchObject({ code: 'TENANT_ERASE_UNCONFIRMED' });
    expect(await countsIn(targets.shared.owner, seeded.ids.globex)).toEqual(before);
  });

  it('deletes every row of the tenant, its audit trail included, and leaves a platform event; other tenants keep theirs', async () => {
    await asTenant(seeded.owner, seeded.ids.globex, (tx) => tx`insert into audit_events (tenant_id, action) values (${seeded.ids.globex}, 'invoice.created')`);
    const acmeBefore = await countsIn(targets.shared.owner, seeded.ids.acme);
    const result = await eraseTenant({ targets, slug: 'globex', confirm: 'globex' });
    expect(result.deleted.audit_events).toBeGreaterThanOrEqual(1);
    expect(result.deleted.memberships).toBe(2);
    const after = await countsIn(targets.shared.owner, seeded.ids.globex);
    expect(Object.values(after).every((n) => n === 0)).toBe(true);
    expect(await countsIn(targets.shared.owner, seeded.ids.acme)).toEqual(acmeBefore);
    const [event] = await seeded.owner<{ action: string; tenant_slug: string; payload: { deleted: Record<string, number> } }[]>`
      select action, tenant_slug, payload from platform_events where tenant_id = ${seeded.ids.globex}`;
    expect(event).toMatchObject({ action: 'tenant.erased', tenant_slug: 'globex' });
    expect(event!.payload.deleted.invoices).toBe(result.deleted.invoices);
    await expect(eraseTenant({ targets, slug: 'globex', confirm: 'globex' })).rejects.toMatchObject({ code: 'TENANT_NOT_FOUND' });
  });

  it('erases a tenant placed in a dedicated database there too', async () => {
    // acme was imported into "dedicated" above; place it there, then erase it.
    await seeded.owner`update tenants set placement = 'dedicated' where id = ${seeded.ids.acme}`;
    await eraseTenant({ targets, slug: 'acme', confirm: 'acme' });
    expect(Object.values(await countsIn(dedicated.owner, seeded.ids.acme)).every((n) => n === 0)).toBe(true);
    expect(Object.values(await countsIn(targets.shared.owner, seeded.ids.acme)).every((n) => n === 0)).toBe(true);
  });

  it('keeps the audit trail append-only for everyone else: the erase switch opens nothing to the app role', async () => {
    const app = postgres(targets.shared.app, { max: 1, onnotice: () => {} });
    try {
      const error = await app
        .begin(async (tx) => {
          await tx`select set_config('app.tenant_context', ${tenantContextValue(seeded.ids.initech)}, true), set_config('studio.erasing_tenant', ${seeded.ids.initech}, true)`;
          await tx`delete from audit_events where tenant_id = ${seeded.ids.initech}`;
        })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: '42501' }); // permission denied
    } finally {
      await app.end();
    }
    // The owner without the switch is refused by the trigger.
    await asTenant(seeded.owner, seeded.ids.initech, (tx) => tx`insert into audit_events (tenant_id, action) values (${seeded.ids.initech}, 'x')`);
    await expect(asTenant(seeded.owner, seeded.ids.initech, (tx) => tx`delete from audit_events where tenant_id = ${seeded.ids.initech}`)).rejects.toThrow(/append-only/);
  });

  it('restores an erased tenant from its export into the shared database, members included', async () => {
    const file = await exportToFile('initech');
    const before = await countsIn(targets.shared.owner, seeded.ids.initech);
    await eraseTenant({ targets, slug: 'initech', confirm: 'initech' });
    await importTenant({ targets, file });
    expect(await countsIn(targets.shared.owner, seeded.ids.initech)).toEqual(before);
    const [m] = await seeded.owner<{ n: number }[]>`select count(*)::int as n from memberships where tenant_id = ${seeded.ids.initech}`;
    expect(m!.n).toBe(1);
  });
});
