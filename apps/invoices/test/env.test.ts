// The app's settings through t3-env: the packages' pieces and the app's own variables, validated
// in one pass. Each case loads src/env.ts afresh with its own environment.
import { afterEach, describe, expect, it, vi } from 'vitest';

const CLEAR = ['NODE_ENV', 'NEXT_PHASE', 'DATABASE_URL', 'DATABASE_APP_URL', 'DATABASE_AUTH_URL', 'DATABASE_JOBS_URL', 'TENANT_CONTEXT_KEY', 'BETTER_AUTH_SECRET', 'AUTH_SECRET', 'REDIS_URL'];

async function load(variables: Record<string, string>) {
  vi.resetModules();
  for (const name of CLEAR) vi.stubEnv(name, undefined);
  for (const [name, value] of Object.entries(variables)) vi.stubEnv(name, value);
  return import('../src/env');
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('invoices env', () => {
  it('gives the defaults, and derives every role URL from DATABASE_URL', async () => {
    const { env, tenantOrigin, validateEnv } = await load({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/studio' });
    expect(() => validateEnv({ start: true })).not.toThrow();
    expect(tenantOrigin('acme')).toBe('http://acme.localhost:3001');
    expect(env.databaseUrl).toBe('postgres://studio_app:studio_app_dev@127.0.0.1:5432/studio');
    expect(env.jobsDatabaseUrl).toBe('postgres://studio_jobs:studio_jobs_dev@127.0.0.1:5432/studio');
    expect(env.pooler).toBe('none');
    expect(env.placements).toEqual({});
    expect(env.redisUrl).toBeUndefined();
    expect(env.jobsEnabled).toBe(true);
    expect(env.showDemoHints).toBe(true);
  });

  it('names every invalid variable at once, and stops', async () => {
    const { validateEnv } = await load({
      DATABASE_URL: 'mysql://x',
      DATABASE_POOLER: 'statement',
      INVOICES_PROTOCOL: 'ftp',
      INVOICES_PUBLIC_PORT: '70000',
      INVOICES_JOBS: 'maybe',
      INVOICES_BASE_DOMAIN: 'acme.example.com/app',
    });
    let message = '';
    try {
      validateEnv();
    } catch (error) {
      message = (error as Error).message;
      expect(error).toMatchObject({ code: 'ENV_INVALID' });
    }
    for (const name of ['DATABASE_URL', 'DATABASE_POOLER', 'INVOICES_PROTOCOL', 'INVOICES_PUBLIC_PORT', 'INVOICES_JOBS', 'INVOICES_BASE_DOMAIN']) {
      expect(message).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    }
  });

  it('requires TENANT_CONTEXT_KEY and BETTER_AUTH_SECRET in production, not while `next build` runs', async () => {
    const production = await load({ NODE_ENV: 'production', DATABASE_APP_URL: 'postgres://studio_app:x@db/studio' });
    expect(() => production.validateEnv({ start: true })).toThrow(/TENANT_CONTEXT_KEY: required in production[\s\S]*BETTER_AUTH_SECRET: required in production/);
    const build = await load({ NODE_ENV: 'production', NEXT_PHASE: 'phase-production-build' });
    expect(() => build.validateEnv()).not.toThrow();
    // next.config.ts validates with { build: true } before Next sets NEXT_PHASE.
    const config = await load({ NODE_ENV: 'production' });
    expect(() => config.validateEnv({ build: true })).not.toThrow();
    const short = await load({ NODE_ENV: 'production', TENANT_CONTEXT_KEY: 'too-short', BETTER_AUTH_SECRET: 'x'.repeat(40) });
    expect(() => short.validateEnv()).toThrow(/TENANT_CONTEXT_KEY: must be at least 32 characters/);
    const given = await load({ NODE_ENV: 'production', TENANT_CONTEXT_KEY: 'k'.repeat(40), BETTER_AUTH_SECRET: 's'.repeat(40), DATABASE_APP_URL: 'postgres://studio_app:x@db/studio', DATABASE_AUTH_URL: 'postgres://studio_auth:x@db/studio', DATABASE_JOBS_URL: 'postgres://studio_jobs:x@db/studio' });
    expect(() => given.validateEnv({ start: true })).not.toThrow();
    expect(given.env.tenantContextKey).toBe('k'.repeat(40));
    expect(given.env.authSecret).toBe('s'.repeat(40));
    expect(given.env.showDemoHints).toBe(false);
  });

  it('at start, refuses to run without a database it can connect to, saying what to set', async () => {
    const { validateEnv } = await load({});
    expect(() => validateEnv()).not.toThrow();
    expect(() => validateEnv({ start: true })).toThrow(/set DATABASE_APP_URL \(or DATABASE_URL\)/);
  });

  it('counts an empty variable as unset; an empty or `none` public port means no port (behind a proxy on 80/443)', async () => {
    const { env, tenantOrigin } = await load({ DB_APP_ROLE: '', DATABASE_POOLER: '', INVOICES_PROTOCOL: '', INVOICES_PUBLIC_PORT: '', DATABASE_URL: 'postgres://postgres@db/studio' });
    expect(env.databaseUrl).toBe('postgres://studio_app:studio_app_dev@db/studio');
    expect(tenantOrigin(null)).toBe('http://localhost');
    const none = await load({ INVOICES_PUBLIC_PORT: 'none', INVOICES_PROTOCOL: 'https', INVOICES_BASE_DOMAIN: 'Invoices.Example.COM', INVOICES_JOBS: 'off' });
    expect(none.tenantOrigin('acme')).toBe('https://acme.invoices.example.com');
    expect(none.env.jobsEnabled).toBe(false);
  });

  it('leaves process.env as it was (t3-env deletes the empty variables of the object it is given)', async () => {
    const { validateEnv } = await load({ INVOICES_PROTOCOL: '' });
    validateEnv();
    expect(process.env.INVOICES_PROTOCOL).toBe('');
  });
});
