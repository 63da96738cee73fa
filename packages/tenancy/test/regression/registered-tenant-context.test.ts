/**
 * Issue 18, performance: verifying the context's HMAC on every statement cost about 25 us of
 * server time, so the app now registers each signed value once and the policies look it up
 * (migration 0020). The look-up must not become a way around the signature. As the product role
 * on a raw connection (a guard bypassed, or a stolen password), each attempt below is refused
 * or sees nothing of another tenant.
 */
import { tenantContextValue } from '@studio/db-schema/config';
import { signTenantContext, DEV_TENANT_CONTEXT_KEY } from '@studio/db-schema/tenant-context';
import type postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { seededWithAppConnection } from '../helpers';

const world = seededWithAppConnection();

async function countAs(context: string, tenantId: string): Promise<number> {
  return (await world.app.begin(async (tx: postgres.TransactionSql) => {
    await tx`select set_config('app.tenant_context', ${context}, true)`;
    const [row] = await tx<{ n: number }[]>`select count(*)::int as n from invoices where tenant_id = ${tenantId}`;
    return row!.n;
  })) as number;
}

async function registered(context: string): Promise<number> {
  const [row] = await world.seeded.su<{ n: number }[]>`select count(*)::int as n from studio_private.tenant_contexts where context = ${context}`;
  return row!.n;
}

describe('registered tenant contexts (C15, migration 0020)', () => {
  it('registers a value that verifies, once, and reads its tenant through the look-up', async () => {
    const acme = world.seeded.ids.acme;
    const value = tenantContextValue(acme);
    const [first] = await world.app<{ tenant: string }[]>`select studio_register_tenant_context(${value}) as tenant`;
    const [again] = await world.app<{ tenant: string }[]>`select studio_register_tenant_context(${value}) as tenant`;
    expect(first!.tenant).toBe(acme);
    expect(again!.tenant).toBe(acme);
    expect(await registered(value)).toBe(1);
    expect(await countAs(value, acme)).toBeGreaterThan(0);
  });

  it('registers nothing for a forged, expired or unknown-key value, and they see nothing', async () => {
    const { acme, globex } = world.seeded.ids;
    const forged = tenantContextValue(acme).replace(acme, globex);
    const expired = signTenantContext(process.env.TENANT_CONTEXT_KEY || DEV_TENANT_CONTEXT_KEY, globex, Math.floor(Date.now() / 1000) - 5);
    const otherKey = signTenantContext('a-key-the-database-has-never-seen-0123456789', globex, Math.floor(Date.now() / 1000) + 600);
    for (const value of [forged, expired, otherKey, globex, '']) {
      const [row] = await world.app<{ tenant: string | null }[]>`select studio_register_tenant_context(${value}) as tenant`;
      expect(row!.tenant, value).toBeNull();
      expect(await registered(value), value).toBe(0);
      expect(await countAs(value, globex), value).toBe(0);
    }
  });

  it('cannot read, write or enumerate the registered values', async () => {
    for (const attempt of [
      () => world.app`select context, tenant_id from studio_private.tenant_contexts`,
      () => world.app`insert into studio_private.tenant_contexts (context, tenant_id, kid, expires_at) values ('x', ${world.seeded.ids.globex}, 'k', now() + interval '1 hour')`,
      () => world.app`delete from studio_private.tenant_contexts`,
      () => world.app`select studio_private.verified_tenant('x')`,
      () => world.app.unsafe(`create or replace view studio_current_tenant as select '${world.seeded.ids.globex}'::uuid as tenant_id`),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: expect.stringMatching(/^(42501|3F000)$/) });
    }
    // The view answers for the caller's own value only: nothing to enumerate.
    const rows = await world.app.begin(async (tx: postgres.TransactionSql) => {
      await tx`select set_config('app.tenant_context', ${tenantContextValue(world.seeded.ids.acme)}, true)`;
      return tx<{ tenant_id: string }[]>`select tenant_id from studio_current_tenant`;
    });
    expect(rows.map((r) => r.tenant_id)).toEqual([world.seeded.ids.acme]);
  });

  it('withdraws a registered value when it expires and when its key is deleted', async () => {
    const { initech } = world.seeded.ids;
    const value = tenantContextValue(initech);
    await world.app`select studio_register_tenant_context(${value})`;
    expect(await countAs(value, initech)).toBeGreaterThan(0);
    // Expired in the registry (the value's own expiry is later: the registry's is what is read).
    await world.seeded.su`update studio_private.tenant_contexts set expires_at = now() - interval '1 second' where context = ${value}`;
    const [direct] = await world.seeded.su<{ n: number }[]>`
      select count(*)::int as n from studio_private.tenant_contexts where context = ${value} and expires_at > now()`;
    expect(direct!.n).toBe(0);
    // Still readable: the HMAC path verifies the value itself, which has not expired.
    expect(await countAs(value, initech)).toBeGreaterThan(0);
    // Key deletion (rotation) cascades to every registered value signed with it, and the HMAC
    // path no longer finds the key: nothing.
    const [key] = await world.seeded.su<{ kid: string; ipad: Buffer; opad: Buffer }[]>`
      select kid, ipad, opad from studio_private.context_keys where kid = split_part(${value}, '.', 2)`;
    await world.app`select studio_register_tenant_context(${value})`;
    try {
      await world.seeded.su`delete from studio_private.context_keys where kid = ${key!.kid}`;
      expect(await registered(value)).toBe(0);
      expect(await countAs(value, initech)).toBe(0);
    } finally {
      await world.seeded.su`insert into studio_private.context_keys (kid, ipad, opad) values (${key!.kid}, ${key!.ipad}, ${key!.opad})`;
    }
  });
});
