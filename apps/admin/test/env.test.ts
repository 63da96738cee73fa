// The console's settings through defineAppEnv (@studio/tenancy/env). Each case loads src/env.ts afresh.
import { afterEach, describe, expect, it, vi } from 'vitest';

const CLEAR = ['NODE_ENV', 'NEXT_PHASE', 'DATABASE_URL', 'DATABASE_APP_URL', 'DATABASE_AUTH_URL', 'DATABASE_ADMIN_URL', 'TENANT_CONTEXT_KEY', 'BETTER_AUTH_SECRET', 'AUTH_SECRET', 'ADMIN_PUBLIC_URL', 'ADMIN_INVITATION_URL'];

async function load(variables: Record<string, string>) {
  vi.resetModules();
  for (const name of CLEAR) vi.stubEnv(name, undefined);
  for (const [name, value] of Object.entries(variables)) vi.stubEnv(name, value);
  return import('../src/env');
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('admin env', () => {
  it('gives the defaults and derives the admin role from DATABASE_URL', async () => {
    const { env, validateEnv } = await load({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/studio' });
    expect(() => validateEnv({ start: true })).not.toThrow();
    expect(env.publicUrl).toBe('http://localhost:3003');
    expect(env.adminDatabaseUrl).toMatch(/^postgres:\/\/studio_admin:/);
    expect(env.production).toBe(false);
  });

  it("links a first owner's invitation to a product's invite page: the invoices app's by default, or ADMIN_INVITATION_URL", async () => {
    const defaults = await load({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/studio' });
    expect(defaults.env.invitationLink({ id: 'abc', tenantSlug: 'hooli' })).toBe('http://hooli.localhost:3001/invite/abc');
    const lessons = await load({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/studio', ADMIN_INVITATION_URL: 'https://lessons.example.com/t/{tenant}/invite/{id}' });
    expect(lessons.env.invitationLink({ id: 'abc', tenantSlug: 'hooli' })).toBe('https://lessons.example.com/t/hooli/invite/abc');
    const wrong = await load({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/studio', ADMIN_INVITATION_URL: 'https://lessons.example.com/invite' });
    expect(() => wrong.validateEnv()).toThrow(/ADMIN_INVITATION_URL/);
  });

  it('at start, needs the admin role too', async () => {
    const { validateEnv } = await load({ DATABASE_APP_URL: 'postgres://studio_app:x@db/studio', DATABASE_AUTH_URL: 'postgres://studio_auth:x@db/studio' });
    expect(() => validateEnv()).not.toThrow();
    expect(() => validateEnv({ start: true })).toThrow(/DATABASE_ADMIN_URL/);
  });
});
