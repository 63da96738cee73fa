import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { databaseUrls, readDbEnv, rolesFromEnv, urlForDatabase } from '@studio/db-schema/config';
import { migrateDatabase } from '@studio/db-schema/migrate';
import { customers } from '@studio/db-schema/schema';
import { startEmbeddedPostgres, type RunningPostgres } from '@studio/pg-server';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, TenantReadOnlyError } from '@studio/tenancy';
import type { DatabaseTargets } from '../src/lifecycle/index';
import { moveTenant, MOVE_STEPS, SimulatedCrash, type MoveStep } from '../src/lifecycle/index';
import { asTenant, seededDatabase, type SeededDatabase } from './helpers';

// The shared database on the vitest server, the dedicated one on a second embedded server.
let seeded: SeededDatabase;
let second: RunningPostgres;
let targets: DatabaseTargets;
let dir: string;
const TABLES = ['customers', 'invoices', 'invoice_lines', 'lesson_plans', 'audit_events', 'api_tokens', 'usage_counters'];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'studio-move-test-'));
  [seeded, second] = await Promise.all([seededDatabase(), startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), persistent: false, fast: true })]);
  const urls = databaseUrls(urlForDatabase(second.url, 'studio_dedicated'), { ...readDbEnv(), DATABASE_APP_URL: undefined, DATABASE_ADMIN_URL: undefined }, rolesFromEnv());
  await migrateDatabase({ url: urls.migrate, roles: rolesFromEnv() });
  targets = { shared: { app: seeded.testDb.urls.app, owner: seeded.testDb.urls.owner }, dedicated: { app: urls.app, owner: urls.owner } };
  for (const action of ['invoice.created', 'invoice.sent']) {
    await asTenant(seeded.owner, seeded.ids.acme, (tx) => tx`insert into audit_events (tenant_id, action) values (${seeded.ids.acme}, ${action})`);
  }
}, 120_000);

afterAll(async () => {
  await seeded?.close();
  await second?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Every tenant row of acme in one database, as sorted JSON per table. */
async function rowsIn(url: string, tenantId: string): Promise<Record<string, string[]>> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await asTenant(sql, tenantId, async (tx) => {
      await tx`set local timezone to 'UTC'`;
      const out: Record<string, string[]> = {};
      for (const table of TABLES) {
        const rows = await tx.unsafe<{ j: string }[]>(`select row_to_json(x)::text as j from "${table}" x where tenant_id = $1`, [tenantId]);
        out[table] = rows.map((r) => r.j).sort();
      }
      return out;
    });
  } finally {
    await sql.end();
  }
}

async function registry(id: string) {
  const [tenant] = await seeded.owner<{ placement: string; status: string }[]>`select placement, status from tenants where id = ${id}`;
  const [moves] = await seeded.owner<{ n: number }[]>`select count(*)::int as n from tenant_moves`;
  return { ...tenant, moves: moves!.n };
}

const url = (key: string) => targets[key]!.owner;

describe('tenants move', () => {
  it('refuses bad input with a clear message and changes nothing', async () => {
    await expect(moveTenant({ targets, slug: 'nosuch', to: 'dedicated', settleMs: 0 })).rejects.toMatchObject({ code: 'TENANT_NOT_FOUND' });
    await expect(moveTenant({ targets, slug: 'acme', to: 'eu-9', settleMs: 0 })).rejects.toMatchObject({ code: 'TENANT_PLACEMENT_UNKNOWN' });
    await expect(moveTenant({ targets, slug: 'acme', to: 'shared', settleMs: 0 })).rejects.toMatchObject({ code: 'TENANT_ALREADY_THERE' });
    const down = { ...targets, down: { app: 'postgres://a:b@127.0.0.1:1/x', owner: 'postgres://a:b@127.0.0.1:1/x' } };
    await expect(moveTenant({ targets: down, slug: 'acme', to: 'down', settleMs: 0 })).rejects.toMatchObject({ code: 'DATABASE_UNREACHABLE' });
    // A target that already holds rows of the tenant.
    const dedicated = postgres(url('dedicated'), { max: 1, onnotice: () => {} });
    try {
      await dedicated`insert into plans (id, name, max_members) values ('free', 'Free', 3) on conflict do nothing`;
      await dedicated`insert into tenants (id, slug, name) values (${seeded.ids.initech}, 'initech', 'Initech')`;
      await asTenant(dedicated, seeded.ids.initech, (tx) => tx`insert into customers (tenant_id, name) values (${seeded.ids.initech}, 'stale copy')`);
      await expect(moveTenant({ targets, slug: 'initech', to: 'dedicated', settleMs: 0 })).rejects.toMatchObject({ code: 'TENANT_EXISTS', message: expect.stringContaining('customers') });
    } finally {
      await dedicated.end();
    }
    expect(await registry(seeded.ids.acme)).toEqual({ placement: 'shared', status: 'active', moves: 0 });
    expect(await registry(seeded.ids.initech)).toEqual({ placement: 'shared', status: 'active', moves: 0 });
  });

  it('keeps reads working and refuses writes while the tenant is read-only, then routes to the new home', async () => {
    const db = createDatabase({ url: targets.shared.app, placements: { dedicated: targets.dedicated!.app } });
    try {
      const before = await rowsIn(url('shared'), seeded.ids.globex);
      await expect(moveTenant({ targets, slug: 'globex', to: 'dedicated', settleMs: 200, crashAfter: 'marked' })).rejects.toBeInstanceOf(SimulatedCrash);
      const globex = await db.tenant(seeded.ids.globex);
      expect(globex.tenant.status).toBe('read_only');
      expect(await globex.select().from(customers)).toHaveLength(before.customers!.length);
      await expect(globex.insert(customers).values({ name: 'during the move' })).rejects.toBeInstanceOf(TenantReadOnlyError);

      const result = await moveTenant({ targets, slug: 'globex', to: 'dedicated', settleMs: 200 });
      expect(result).toMatchObject({ from: 'shared', to: 'dedicated', resumedFrom: 'marked' });
      expect(result.readOnlySeconds).toBeGreaterThan(0);
      const after = await db.tenant(seeded.ids.globex);
      expect(after.tenant).toMatchObject({ placement: 'dedicated', status: 'active' });
      const [created] = await after.insert(customers).values({ name: 'after the move' }).returning();
      expect(created!.name).toBe('after the move');
      const there = await rowsIn(url('dedicated'), seeded.ids.globex);
      expect(there.customers).toHaveLength(before.customers!.length + 1);
    } finally {
      await db.close();
    }
  });

  it('copies again when a write slipped in after the copy: nothing is lost', async () => {
    await expect(moveTenant({ targets, slug: 'initech', to: 'shared', settleMs: 0 })).rejects.toMatchObject({ code: 'TENANT_ALREADY_THERE' });
    // initech has a stale customer in "dedicated" from the first test: clear it (what erase would do there).
    const dedicated = postgres(url('dedicated'), { max: 1, onnotice: () => {} });
    try {
      await asTenant(dedicated, seeded.ids.initech, (tx) => tx`delete from customers where tenant_id = ${seeded.ids.initech}`);
    } finally {
      await dedicated.end();
    }
    await expect(moveTenant({ targets, slug: 'initech', to: 'dedicated', settleMs: 0, crashAfter: 'copied' })).rejects.toBeInstanceOf(SimulatedCrash);
    // A process that had not seen the read-only flag yet commits one more row in the source.
    await asTenant(seeded.owner, seeded.ids.initech, (tx) => tx`insert into customers (tenant_id, name) values (${seeded.ids.initech}, 'late write')`);
    const before = await rowsIn(url('shared'), seeded.ids.initech);
    await moveTenant({ targets, slug: 'initech', to: 'dedicated', settleMs: 0 });
    const after = await rowsIn(url('dedicated'), seeded.ids.initech);
    expect(after).toEqual(before);
    expect(after.customers!.some((row) => row.includes('late write'))).toBe(true);
  });

  // A crash after each step, then the same command again: the tenant ends up whole in its new
  // home, nothing left in the old one, writable again, one platform event. acme goes back and
  // forth between the two servers, one crash point per trip.
  const trips: [MoveStep, string][] = MOVE_STEPS.map((step, i) => [step, i % 2 === 0 ? 'dedicated' : 'shared']);
  it.each(trips)('survives a crash after "%s" (moving to %s)', async (step, to) => {
    const from = to === 'dedicated' ? 'shared' : 'dedicated';
    const before = await rowsIn(url(from), seeded.ids.acme);
    expect(before.invoices!.length).toBeGreaterThan(0);
    await expect(moveTenant({ targets, slug: 'acme', to, settleMs: 0, crashAfter: step })).rejects.toBeInstanceOf(SimulatedCrash);
    const result = await moveTenant({ targets, slug: 'acme', to, settleMs: 0 });
    expect(result.resumedFrom).toBe(step === 'purged' ? 'flipped' : step);
    expect(await rowsIn(url(to), seeded.ids.acme)).toEqual(before);
    expect(Object.values(await rowsIn(url(from), seeded.ids.acme)).every((rows) => rows.length === 0)).toBe(true);
    expect(await registry(seeded.ids.acme)).toEqual({ placement: to, status: 'active', moves: 0 });
    const [events] = await seeded.owner<{ n: number }[]>`
      select count(*)::int as n from platform_events where tenant_id = ${seeded.ids.acme} and action = 'tenant.moved' and payload ->> 'to' = ${to}`;
    expect(events!.n).toBeGreaterThanOrEqual(1);
  });
});
