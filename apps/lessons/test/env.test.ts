// The app's settings through defineAppEnv (@studio/tenancy/env): the packages' pieces and the
// app's public URL, validated by t3-env in one pass. Each case loads src/env.ts afresh.
import { afterEach, describe, expect, it, vi } from 'vitest';

const CLEAR = ['NODE_ENV', 'NEXT_PHASE', 'DATABASE_URL', 'DATABASE_APP_URL', 'DATABASE_AUTH_URL', 'TENANT_CONTEXT_KEY', 'BETTER_AUTH_SECRET', 'AUTH_SECRET', 'LESSONS_PUBLIC_URL'];

async function load(variables: Record<string, string>) {
  vi.resetModules();
  for (const name of CLEAR) vi.stubEnv(name, undefined);
  for (const [name, value] of Object.entries(variables)) vi.stubEnv(name, value);
  return import('../src/env');
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('lessons env', () => {
  it('gives the defaults: served at http://localhost:3002, tenants in the path', async () => {
    const { env, tenantOrigin, validateEnv } = await load({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/studio' });
    expect(() => validateEnv({ start: true })).not.toThrow();
    expect(env.publicUrl).toBe('http://localhost:3002');
    expect(tenantOrigin('acme')).toBe('http://localhost:3002');
    expect(env.databaseUrl).toBe('postgres://studio_app:studio_app_dev@127.0.0.1:5432/studio');
    expect(env.showDemoHints).toBe(true);
  });

  it('trims a trailing slash, and names an invalid public URL', async () => {
    const { env } = await load({ LESSONS_PUBLIC_URL: 'https://lessons.example.com/' });
    expect(env.publicUrl).toBe('https://lessons.example.com');
    expect(env.protocol).toBe('https');
    const bad = await load({ LESSONS_PUBLIC_URL: 'https://lessons.example.com/app' });
    expect(() => bad.validateEnv()).toThrow(/^ {2}LESSONS_PUBLIC_URL\b.*no path/m);
  });

  it('requires the secrets in production, not at build', async () => {
    const production = await load({ NODE_ENV: 'production', DATABASE_APP_URL: 'postgres://studio_app:x@db/studio' });
    expect(() => production.validateEnv({ start: true })).toThrow(/TENANT_CONTEXT_KEY: required in production[\s\S]*BETTER_AUTH_SECRET: required in production/);
    expect(() => production.validateEnv({ build: true })).not.toThrow();
  });
});
