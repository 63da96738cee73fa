import { tenantContextValue } from '@studio/db-schema/config';
import { CITUS_PROPAGATE_SET_COMMANDS, setLocalTenantContextSql } from '@studio/db-schema/tenant-context';
import { auditEvents, customers } from '@studio/db-schema/schema';
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { audit, AuditEventError, auditTrail, sealAuditChain, verifyAuditChain } from '../src/audit';
import { createDatabase, type TenantDb } from '../src/index';
import { asTenant, seededDatabase, type SeededDatabase } from './helpers';

let seeded: SeededDatabase;
let db: ReturnType<typeof createDatabase>;
let acme: TenantDb;
let globex: TenantDb;
const ALICE = '11111111-1111-4111-8111-111111111111';

beforeAll(async () => {
  seeded = await seededDatabase();
  // No background sealing here: the tests below see events unsealed, and seal when they mean to.
  db = createDatabase({ url: seeded.testDb.urls.app, auditSealDelayMs: 600_000 });
  acme = await db.tenant(seeded.ids.acme, { actor: { userId: ALICE } });
  globex = await db.tenant(seeded.ids.globex);
}, 60_000);

afterAll(async () => {
  await db?.close();
  await seeded?.close();
});

async function eventsOf(tenantId: string, action: string) {
  return asTenant(seeded.owner, tenantId, (tx) => tx<{ actor_id: string | null; target: string; payload: unknown; seq: string | null; hash: string | null }[]>`
    select actor_id, target, payload, seq, hash from audit_events where action = ${action} order by seq, created_at`);
}

/** Makes Postgres refuse audit rows with this action, to see what a failing audit insert does. */
async function refuseAction(action: string, fn: () => Promise<void>) {
  await seeded.owner.unsafe(`alter table audit_events add constraint test_refuse check (action <> '${action}')`);
  try {
    await fn();
  } finally {
    await seeded.owner.unsafe('alter table audit_events drop constraint test_refuse');
  }
}

describe('audit in the action transaction', () => {
  it('commits the action and its audit row together, with the actor from the context', async () => {
    const created = await acme.transaction(async (tx) => {
      const [row] = await tx.insert(customers).values({ name: 'Audited Ltd' }).returning({ id: customers.id });
      await audit(tx, { action: 'customer.create', target: row!.id, payload: { name: 'Audited Ltd' } });
      return row!;
    });
    const events = await eventsOf(seeded.ids.acme, 'customer.create');
    expect(events.at(-1)).toMatchObject({ actor_id: ALICE, target: created.id, payload: { name: 'Audited Ltd' } });
  });

  it('a failing action leaves no audit row', async () => {
    await expect(
      acme.transaction(async (tx) => {
        await audit(tx, { action: 'customer.doomed', target: 'x' });
        await tx.insert(customers).values({ name: 'Twin', email: 'twin@a.test' });
        await tx.insert(customers).values({ name: 'Twin', email: 'twin@a.test' }); // unique violation
      }),
    ).rejects.toThrow();
    expect(await eventsOf(seeded.ids.acme, 'customer.doomed')).toEqual([]);
    expect(await acme.select().from(customers).where(eq(customers.name, 'Twin'))).toEqual([]);
  });

  it('a failing audit insert rolls the action back', async () => {
    await refuseAction('customer.refused', async () => {
      await expect(
        acme.transaction(async (tx) => {
          await tx.insert(customers).values({ name: 'Never Saved' });
          await audit(tx, { action: 'customer.refused' });
        }),
      ).rejects.toThrow();
      await expect(acme.audited({ action: 'customer.refused' }).insert(customers).values({ name: 'Never Saved' })).rejects.toThrow();
    });
    expect(await acme.select().from(customers).where(eq(customers.name, 'Never Saved'))).toEqual([]);
  });

  it('audited(): one statement and its audit row in one transaction', async () => {
    const [row] = await acme.audited({ action: 'customer.import', payload: { source: 'csv' } }).insert(customers).values({ name: 'Imported' }).returning();
    expect(row!.name).toBe('Imported');
    expect(await eventsOf(seeded.ids.acme, 'customer.import')).toHaveLength(1);
  });

  it('drops the audit rows of a nested block that rolled back', async () => {
    await acme.transaction(async (tx) => {
      await audit(tx, { action: 'outer.kept' });
      await tx
        .transaction(async (inner) => {
          await audit(inner, { action: 'inner.undone' });
          throw new Error('undo the inner block');
        })
        .catch(() => {});
    });
    expect(await eventsOf(seeded.ids.acme, 'outer.kept')).toHaveLength(1);
    expect(await eventsOf(seeded.ids.acme, 'inner.undone')).toEqual([]);
  });

  it('refuses a malformed event before sending anything', async () => {
    await expect(audit(acme, { action: 'Delete Everything' })).rejects.toBeInstanceOf(AuditEventError);
    await expect(audit(acme, { action: 'x.y', payload: { big: 'x'.repeat(70_000) } })).rejects.toMatchObject({ code: 'AUDIT_EVENT_INVALID' });
  });

  it('records the API token as the actor of a token request', async () => {
    const viaToken = await db.tenant(seeded.ids.acme, { actor: { userId: null, apiTokenId: 'tok-1' } });
    await audit(viaToken, { action: 'invoice.export' });
    const [event] = await eventsOf(seeded.ids.acme, 'invoice.export');
    expect(event).toMatchObject({ actor_id: null, payload: { apiTokenId: 'tok-1' } });
  });
});

describe('append-only and tamper-evident', () => {
  it('refuses UPDATE, DELETE and TRUNCATE to the app role, the admin role and the owner', async () => {
    await audit(globex, { action: 'globex.event' });
    for (const url of [seeded.testDb.urls.app, seeded.testDb.urls.admin, seeded.testDb.urls.owner]) {
      const sql = postgres(url, { max: 1, onnotice: () => {}, connection: { ...CITUS_PROPAGATE_SET_COMMANDS } });
      try {
        for (const statement of ["update audit_events set action = 'x.y'", 'delete from audit_events', 'truncate audit_events']) {
          const run = sql.begin(async (tx) => {
            await tx.unsafe(setLocalTenantContextSql(tenantContextValue(seeded.ids.globex)));
            await tx.unsafe(statement);
          });
          await expect(run, `${statement} as ${new URL(url).username}`).rejects.toThrow(/permission denied|append-only|must be owner/);
        }
      } finally {
        await sql.end();
      }
    }
    expect(await eventsOf(seeded.ids.globex, 'globex.event')).toHaveLength(1);
  });

  it('chains each tenant’s events, and verifyAuditChain finds an edited or deleted row', async () => {
    const initech = await db.tenant(seeded.ids.initech);
    for (let i = 0; i < 5; i++) await audit(initech, { action: 'chain.link', target: String(i) });
    expect(await verifyAuditChain(initech)).toEqual({ ok: true, events: 5, unsealed: 0 });

    // Someone with the owner's rights switches the trigger off and edits event 3. (On Citus trigger
    // DDL needs citus.enable_unsafe_triggers; elsewhere it is a placeholder.)
    const triggerDdl = (statement: string) =>
      seeded.owner.begin(async (tx) => {
        await tx.unsafe('set local citus.enable_unsafe_triggers = on');
        await tx.unsafe(statement);
      });
    await triggerDdl('alter table audit_events disable trigger audit_events_append_only');
    try {
      await asTenant(seeded.owner, seeded.ids.initech, (tx) => tx`update audit_events set target = 'forged' where seq = 3`);
      const edited = await verifyAuditChain(initech);
      expect(edited).toMatchObject({ ok: false, seq: 3, problem: 'hash', events: 5 });
      await asTenant(seeded.owner, seeded.ids.initech, (tx) => tx`update audit_events set target = '2' where seq = 3`);
      expect(await verifyAuditChain(initech)).toMatchObject({ ok: true });
      await asTenant(seeded.owner, seeded.ids.initech, (tx) => tx`delete from audit_events where seq = 2`);
      expect(await verifyAuditChain(initech)).toMatchObject({ ok: false, seq: 3, problem: 'gap' });
    } finally {
      await triggerDdl('alter table audit_events enable trigger audit_events_append_only');
    }
  });

  it('keeps the chain whole under concurrent appends for one tenant', async () => {
    const t = await db.tenant(seeded.ids.globex);
    await Promise.all(Array.from({ length: 40 }, (_, i) => t.audited({ action: 'concurrent.write', target: String(i) }).insert(customers).values({ name: `C${i}` })));
    const verdict = await verifyAuditChain(t);
    expect(verdict.ok).toBe(true);
    const seqs = (await eventsOf(seeded.ids.globex, 'concurrent.write')).map((e) => Number(e.seq));
    expect(new Set(seqs).size).toBe(40);
  });
});

describe('sealing the chain after commit', () => {
  it('commits an audited write with its event unsealed, and seals it in the background, on flush and on close', async () => {
    const later = createDatabase({ url: seeded.testDb.urls.app, auditSealDelayMs: 60_000 });
    try {
      const t = await later.tenant(seeded.ids.acme);
      // Each way of writing an event asks for a seal of its own: written unsealed, sealed by the flush.
      const writes: [string, () => Promise<unknown>][] = [
        ['seal.statement', () => t.audited({ action: 'seal.statement' }).insert(customers).values({ name: 'Seal Statement' })],
        ['seal.alone', () => audit(t, { action: 'seal.alone' })],
        ['seal.transaction', () => t.transaction(async (tx) => audit(tx, { action: 'seal.transaction' }))],
      ];
      const seqs = [];
      for (const [action, write] of writes) {
        await write();
        expect(await eventsOf(seeded.ids.acme, action), action).toMatchObject([{ seq: null, hash: null }]);
        await later.sealAuditTrails();
        const [event] = await eventsOf(seeded.ids.acme, action);
        expect(event!.hash, action).toMatch(/^[0-9a-f]{64}$/);
        seqs.push(Number(event!.seq));
      }
      // Chained in the order they were written, next to each other.
      expect(seqs).toEqual([seqs[0], seqs[0]! + 1, seqs[0]! + 2]);
      await audit(t, { action: 'seal.on_close' });
    } finally {
      await later.close();
    }
    expect((await eventsOf(seeded.ids.acme, 'seal.on_close'))[0]!.seq).not.toBeNull();

    const soon = createDatabase({ url: seeded.testDb.urls.app, auditSealDelayMs: 25 });
    try {
      await audit(await soon.tenant(seeded.ids.acme), { action: 'seal.timer' });
      await vi.waitFor(async () => expect((await eventsOf(seeded.ids.acme, 'seal.timer'))[0]!.seq).not.toBeNull(), { timeout: 10_000, interval: 50 });
    } finally {
      await soon.close();
    }
    expect(await verifyAuditChain(acme)).toMatchObject({ ok: true, unsealed: 0 });
  });

  it('chains an event that commits after a later one was sealed behind it, with no gap', async () => {
    const app = postgres(seeded.testDb.urls.app, { max: 2, onnotice: () => {}, connection: { ...CITUS_PROPAGATE_SET_COMMANDS } });
    try {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let inserted!: () => void;
      const written = new Promise<void>((resolve) => (inserted = resolve));
      // An event written first, committed last.
      const slow = app.begin(async (tx) => {
        await tx.unsafe(setLocalTenantContextSql(tenantContextValue(seeded.ids.globex)));
        await tx`insert into audit_events (tenant_id, action) values (${seeded.ids.globex}, 'seal.late')`;
        inserted();
        await held;
      });
      await written;
      await audit(globex, { action: 'seal.early' });
      expect(await sealAuditChain(globex)).toBeGreaterThanOrEqual(1);
      release();
      await slow;
      expect(await sealAuditChain(globex)).toBeGreaterThanOrEqual(1);
      const [late] = await eventsOf(seeded.ids.globex, 'seal.late');
      const [early] = await eventsOf(seeded.ids.globex, 'seal.early');
      expect(Number(late!.seq)).toBeGreaterThan(Number(early!.seq));
      expect(await verifyAuditChain(globex)).toMatchObject({ ok: true, unsealed: 0 });
    } finally {
      await app.end();
    }
  });

  it('only ever fills the chain of an unsealed event: no resealing, no other change, no chain or time from the app', async () => {
    const later = createDatabase({ url: seeded.testDb.urls.app, auditSealDelayMs: 60_000 });
    const app = postgres(seeded.testDb.urls.app, { max: 1, onnotice: () => {}, connection: { ...CITUS_PROPAGATE_SET_COMMANDS } });
    try {
      const t = await later.tenant(seeded.ids.globex);
      await audit(t, { action: 'seal.rules', target: 'before' });
      const asOwner = (statement: string) => asTenant(seeded.owner, seeded.ids.globex, (tx) => tx.unsafe(statement));
      // The owner may not change what an unsealed event says, with or without sealing it.
      await expect(asOwner("update audit_events set target = 'after' where action = 'seal.rules'")).rejects.toThrow(/append-only/);
      await expect(asOwner("update audit_events set target = 'after', seq = 999999, hash = 'x' where action = 'seal.rules'")).rejects.toThrow(/append-only/);
      await later.sealAuditTrails();
      // A sealed event is never sealed again.
      await expect(asOwner("update audit_events set seq = 999999, prev_hash = null, hash = 'x' where action = 'seal.rules'")).rejects.toThrow(/append-only/);
      expect(await eventsOf(seeded.ids.globex, 'seal.rules')).toMatchObject([{ target: 'before', seq: expect.any(String) }]);

      // The app role writes an event's content only: never its chain, never its time.
      for (const [column, value] of [['seq', '1'], ['prev_hash', 'x'], ['hash', 'x']] as const) {
        const forged = app.begin(async (tx) => {
          await tx.unsafe(setLocalTenantContextSql(tenantContextValue(seeded.ids.globex)));
          await tx.unsafe(`insert into audit_events (tenant_id, action, ${column}) values ($1, 'seal.forged', $2)`, [seeded.ids.globex, value]);
        });
        await expect(forged, column).rejects.toThrow(/permission denied/);
      }
      // A time it gives is ignored, not accepted (0022: Citus sends the default explicitly, so the
      // column may be named; a trigger stamps now()).
      await app.begin(async (tx) => {
        await tx.unsafe(setLocalTenantContextSql(tenantContextValue(seeded.ids.globex)));
        await tx`insert into audit_events (tenant_id, action, created_at) values (${seeded.ids.globex}, 'seal.backdated', '2000-01-01')`;
      });
      const [backdated] = await seeded.su<{ created_at: Date }[]>`select created_at from audit_events where action = 'seal.backdated'`;
      expect(Date.now() - backdated!.created_at.getTime()).toBeLessThan(60_000);
      // studio_audit_seal() seals the caller's tenant, and needs one.
      await expect(app`select studio_audit_seal()`).rejects.toThrow(/no valid tenant context is set/);
      expect(await verifyAuditChain(globex)).toMatchObject({ ok: true, unsealed: 0 });
    } finally {
      await app.end();
      await later.close();
    }
  });

  it('a read-only client verifies the sealed events and counts the rest, without writing', async () => {
    const later = createDatabase({ url: seeded.testDb.urls.app, auditSealDelayMs: 60_000 });
    try {
      // acme: initech's chain was broken on purpose above.
      await audit(await later.tenant(seeded.ids.acme), { action: 'seal.read_only' });
      const reader = await later.tenant(seeded.ids.acme, { readOnly: true });
      expect(await verifyAuditChain(reader)).toMatchObject({ ok: true, unsealed: 1 });
      await expect(sealAuditChain(reader)).rejects.toBeInstanceOf(AuditEventError);
    } finally {
      await later.close();
    }
  });
});

describe('reading the trail', () => {
  it('filters by action, actor, target and time, pages by keyset, and shows one tenant only', async () => {
    const t = await db.tenant(seeded.ids.acme, { actor: { userId: ALICE } });
    for (let i = 0; i < 7; i++) await audit(t, { action: 'page.test', target: `p${i}` });
    await audit(globex, { action: 'page.test', target: 'globex-only' });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await auditTrail(t, { action: 'page.test', limit: 3, cursor });
      expect(page.events.length).toBeLessThanOrEqual(3);
      seen.push(...page.events.map((e) => e.target!));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['p6', 'p5', 'p4', 'p3', 'p2', 'p1', 'p0']);

    expect((await auditTrail(t, { action: 'page.test', target: 'p3' })).events).toHaveLength(1);
    expect((await auditTrail(t, { action: 'page.test', actorId: ALICE })).events).toHaveLength(7);
    expect((await auditTrail(t, { action: 'page.test', from: new Date(Date.now() + 60_000) })).events).toEqual([]);
    expect((await auditTrail(globex, { action: 'page.test' })).events.map((e) => e.target)).toEqual(['globex-only']);
    // A cursor no trail gave: a 400 in a route handler (CURSOR_INVALID), never a query that fails (a 500).
    await expect(auditTrail(t, { cursor: 'garbage' })).rejects.toMatchObject({ code: 'CURSOR_INVALID', status: 400 });
    // The table as the trail sees it: every row is acme's.
    expect((await auditTrail(t, { limit: 500 })).events.every((e) => e.tenantId === seeded.ids.acme)).toBe(true);
    expect(auditEvents).toBeDefined();
  });
});
