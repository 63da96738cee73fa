/**
 * Issue 19: one member could use the whole tenant's export quota and lock the owner out. Each
 * person now has a share inside the tenant's quota.
 */
import { describe, expect, it } from 'vitest';
import { createQuotas, isQuotaExceeded, QuotaExceededError } from '../../src/quotas';

const TENANT = '0b6c6f8e-1b7a-4c2e-9d55-7c8f9e0a1b2c';
/** A request context as the quota sees it: the tenant and who is signed in (or which token asks). */
const member = { tenant: { id: TENANT }, session: { userId: 'member-1' }, apiToken: null };
const owner = { tenant: { id: TENANT }, session: { userId: 'owner-1' }, apiToken: null };
const tokenOfOwner = { tenant: { id: TENANT }, session: null, apiToken: { tokenId: 'token-1', createdBy: 'owner-1' } };
const signedIn = (userId: string) => ({ tenant: { id: TENANT }, session: { userId }, apiToken: null });

const quotas = () => createQuotas({ export: { points: 6, perSeconds: 3600, perPerson: 2 } }, { prefix: `test:${Math.random()}` });

describe('quotas per person inside the tenant quota', () => {
  it('one member using up their share leaves the owner able to export', async () => {
    const q = quotas();
    await q.consume(member, 'export');
    await q.consume(member, 'export');
    const refused = await q.consume(member, 'export').catch((e: unknown) => e);
    expect(isQuotaExceeded(refused)).toBe(true);
    expect(refused).toMatchObject({ status: 429, code: 'QUOTA_EXCEEDED', holder: 'person', operation: 'export' });
    // The member's refusal took nothing of the tenant's: four left, the owner's two among them.
    expect(await q.remaining(owner, 'export')).toMatchObject({ remaining: 4 });
    await expect(q.consume(owner, 'export')).resolves.toMatchObject({ remaining: 3 });
  });

  it("counts an API token against its maker's share", async () => {
    const q = quotas();
    await q.consume(owner, 'export');
    await q.consume(tokenOfOwner, 'export');
    await expect(q.consume(tokenOfOwner, 'export')).rejects.toMatchObject({ holder: 'person' });
  });

  it("a refusal by the tenant's quota gives the person's unit back", async () => {
    const q = createQuotas({ export: { points: 3, perSeconds: 3600, perPerson: 2 } }, { prefix: `test:${Math.random()}` });
    await q.consume(signedIn('a'), 'export', 2);
    await q.consume(signedIn('b'), 'export');
    // The tenant is empty: c is refused by the tenant, not by its own (unused) share.
    const refused = await q.consume(signedIn('c'), 'export').catch((e: unknown) => e);
    expect(refused).toMatchObject({ holder: 'tenant' });
    await q.reset({ tenantId: TENANT }, 'export');
    await expect(q.consume(signedIn('c'), 'export', 2)).resolves.toBeDefined();
  });

  it('background work without a person draws on the tenant quota alone', async () => {
    const q = quotas();
    await q.consume({ tenantId: TENANT }, 'export', 6);
    await expect(q.consume(owner, 'export')).rejects.toMatchObject({ holder: 'tenant' });
  });

  it('says when to try again in plain time', () => {
    expect(new QuotaExceededError('export', TENANT, 3500, 'person').message).toBe(
      "You have used your share of this workspace's export quota for now. Try again in about an hour.",
    );
    expect(new QuotaExceededError('pdf', TENANT, 40).message).toBe('This workspace has used its pdf quota for now. Try again in less than a minute.');
  });

  it('refuses a share larger than the tenant quota', () => {
    expect(() => createQuotas({ export: { points: 2, perSeconds: 60, perPerson: 3 } })).toThrow(/perPerson/);
  });
});
