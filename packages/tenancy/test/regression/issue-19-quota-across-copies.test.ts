/**
 * Issue 19: a quota refusal was a 500: the export action recognised it with `instanceof`, and
 * Next bundles the package once per layer, so the error came from another copy of the class. A
 * PDF refused by its quota showed raw JSON in the browser. Here two copies of the package are
 * loaded, as two bundle layers would: each recognises the other's error by its `code`.
 */
import { describe, expect, it, vi } from 'vitest';
import type * as Errors from '../../src/errors';
import type * as Quotas from '../../src/quotas';

type Core = typeof Errors & typeof Quotas;

const TENANT = '0b6c6f8e-1b7a-4c2e-9d55-7c8f9e0a1b2c';
const owner = { tenant: { id: TENANT }, session: { userId: 'owner-1' }, apiToken: null };

async function twoCopies() {
  vi.resetModules();
  const first = { core: { ...(await import('../../src/errors')), ...(await import('../../src/quotas')) }, next: await import('../../src/next') };
  vi.resetModules();
  const second = { core: { ...(await import('../../src/errors')), ...(await import('../../src/quotas')) }, next: await import('../../src/next') };
  return { first, second };
}

async function refusalOf(core: Core): Promise<unknown> {
  const quotas = core.createQuotas({ export: { points: 1, perSeconds: 3600 } }, { prefix: `test:${Math.random()}` });
  await quotas.consume(owner, 'export');
  return quotas.consume(owner, 'export').catch((e: unknown) => e);
}

describe('a quota refusal from another copy of the package', () => {
  it('is a different class, recognised by its code', async () => {
    const { first, second } = await twoCopies();
    expect(first.core.QuotaExceededError).not.toBe(second.core.QuotaExceededError);
    const error = await refusalOf(first.core);
    // What the export action used to do, and why it answered 500:
    expect(error instanceof second.core.QuotaExceededError).toBe(false);
    expect(second.core.isQuotaExceeded(error)).toBe(true);
    expect(second.core.TenancyError.is(error)).toBe(true);
  });

  it('is a 429 with Retry-After on the API, never a 500', async () => {
    const { first, second } = await twoCopies();
    const error = await refusalOf(first.core);
    const response = second.next.tenancyErrorResponse(error, new Request('http://acme.localhost/invoices/x/pdf', { headers: { accept: 'application/json' } }))!;
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(3000);
    expect(await response.json()).toMatchObject({ error: { code: 'QUOTA_EXCEEDED', message: expect.stringContaining('Try again in about an hour.') } });
  });

  it('is a page in words, not raw JSON, for a browser following a link (the PDF)', async () => {
    const { first, second } = await twoCopies();
    const error = await refusalOf(first.core);
    const browser = new Request('http://acme.localhost/invoices/x/pdf', { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    const response = second.next.tenancyErrorResponse(error, browser)!;
    expect(response.status).toBe(429);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('retry-after')).not.toBeNull();
    const html = await response.text();
    expect(html).toContain('Try again in about an hour.');
    expect(html).not.toContain('{"error"');
  });
});
