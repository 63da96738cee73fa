// Regression (issue 20): INVOICES_BASE_DOMAIN= (empty) crashed the app (`''.toLowerCase()` gave
// an empty domain: tenants at "acme.", every origin check failing) although an empty variable
// counts as unset. Now it is the default, localhost.
import { afterEach, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.unstubAllEnvs();
});

it('an empty INVOICES_BASE_DOMAIN counts as unset: tenants at <slug>.localhost', async () => {
  vi.resetModules();
  vi.stubEnv('INVOICES_BASE_DOMAIN', '');
  vi.stubEnv('INVOICES_PUBLIC_PORT', undefined);
  vi.stubEnv('INVOICES_PROTOCOL', undefined);
  const { env, tenantOrigin } = await import('../../src/env');
  expect(env.baseDomain).toBe('localhost');
  expect(tenantOrigin('acme')).toBe('http://acme.localhost:3001');
});
