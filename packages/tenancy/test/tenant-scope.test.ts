/**
 * A client's tenant state lives in one TenantScope: every client made from it (audited, a
 * transaction's tx, a nested one) reads the same tenant, actor and read-only flag, and none
 * reaches the raw pools. Audit rows that ride with a statement or a COMMIT get sealed after it.
 */
import { customers } from '@studio/db-schema/schema';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, TenantReadOnlyError, type Database, type TenantDb } from '../src/index';
import { hooksOf } from '../src/scoped/tenant-db';
import { TenantScope } from '../src/scoped/tenant-scope';
import { seededDatabase, type SeededDatabase } from './helpers';

let seeded: SeededDatabase;
let db: Database;
beforeAll(async () => {
  seeded = await seededDatabase();
  // Sealed only on request, so a test sees whether a write asked for a seal.
  db = createDatabase({ url: seeded.testDb.urls.app, tenantCache: { listen: false }, auditSealDelayMs: 60_000 });
});
afterAll(async () => {
  await db?.close();
  await seeded?.close();
});

async function eventsOf(action: string) {
  return seeded.su<{ seq: string | null }[]>`select seq from audit_events where tenant_id = ${seeded.ids.acme} and action = ${action}`;
}

describe('one scope per client', () => {
  it('the client, its audited clients and its transaction’s tx read one tenant state; none reaches a pool', async () => {
    const actor = { userId: null, apiTokenId: 'token-1' };
    const tdb = await db.tenant(seeded.ids.acme, { actor, readOnly: true });
    const scope = hooksOf(tdb);
    expect(scope).toBeInstanceOf(TenantScope);
    // Public state only: the pools, the signed contexts and the sealer are private (#).
    expect(Object.keys(scope).sort()).toEqual(['actor', 'guard', 'mode', 'readOnly', 'tenant', 'trailers']);
    expect(scope).toMatchObject({ actor, readOnly: true, tenant: { id: seeded.ids.acme } });
    expect(scope.defer).toBeUndefined();

    const audited = hooksOf(tdb.audited({ action: 'scope.checked' }));
    expect(audited).not.toBe(scope);
    expect(audited).toMatchObject({ actor, readOnly: true, tenant: scope.tenant, guard: scope.guard });
    expect((audited as TenantScope).trailers).toHaveLength(1);

    await tdb.transaction(async (tx) => {
      const inTx = hooksOf(tx);
      expect(inTx).toMatchObject({ actor, readOnly: true, tenant: scope.tenant, mode: scope.mode });
      expect(typeof inTx.defer).toBe('function');
      expect(Object.keys(inTx).sort()).toEqual(['actor', 'guard', 'mode', 'readOnly', 'tenant']);
      await tx.transaction(async (nested) => expect(hooksOf(nested)).toBe(inTx));
    });
  });

  it('read-only holds for every client made from the scope', async () => {
    const tdb = await db.tenant(seeded.ids.acme, { readOnly: true });
    const writes: [string, () => PromiseLike<unknown>][] = [
      ['client', () => tdb.insert(customers).values({ name: 'Never' })],
      ['audited', () => tdb.audited({ action: 'never.written' }).insert(customers).values({ name: 'Never' })],
      ['tx', () => tdb.transaction((tx) => tx.insert(customers).values({ name: 'Never' }).then(() => undefined))],
      ['audited tx', () => tdb.audited({ action: 'never.written' }).transaction((tx) => tx.delete(customers).then(() => undefined))],
    ];
    for (const [client, write] of writes) await expect(write(), client).rejects.toBeInstanceOf(TenantReadOnlyError);
  });
});

describe('audit rows ride with statements and commits, then get sealed', () => {
  it('an audited client’s transaction, and tx.audited(e) in a transaction: committed with it, sealed after', async () => {
    const acme: TenantDb = await db.tenant(seeded.ids.acme);
    const [row] = await acme.insert(customers).values({ name: 'Scope Audited' }).returning();
    const writes: [string, () => Promise<unknown>][] = [
      ['scope.audited_transaction', () => acme.audited({ action: 'scope.audited_transaction' }).transaction((tx) => tx.update(customers).set({ name: 'A' }).where(eq(customers.id, row!.id)))],
      ['scope.tx_audited', () => acme.transaction((tx) => tx.audited({ action: 'scope.tx_audited' }).update(customers).set({ name: 'B' }).where(eq(customers.id, row!.id)))],
    ];
    for (const [action, write] of writes) {
      await write();
      expect(await eventsOf(action), action).toMatchObject([{ seq: null }]);
      await db.sealAuditTrails();
      expect((await eventsOf(action))[0]!.seq, action).not.toBeNull();
    }
    // Rolled back: no event, and nothing to seal.
    await acme
      .transaction(async (tx) => {
        await tx.audited({ action: 'scope.rolled_back' }).update(customers).set({ name: 'C' }).where(eq(customers.id, row!.id));
        throw new Error('undo');
      })
      .catch(() => undefined);
    expect(await eventsOf('scope.rolled_back')).toEqual([]);
  });
});
