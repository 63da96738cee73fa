/**
 * The app glue of issue 20 that needs no t3-env: registerProductServer (each app's
 * instrumentation.ts) and productNextConfig (each app's next.config.ts). defineAppEnv is tested
 * through the apps' env tests, which have t3-env.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { productNextConfig } from '../src/app-env';
import { registerProductServer } from '../src/next';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('registerProductServer', () => {
  it('stops a server whose variables are invalid, naming the app and the variable', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const exit = vi.fn() as unknown as (code: number) => never;
    const jobs = vi.fn();
    await registerProductServer({
      name: 'sample',
      validateEnv: () => {
        throw new Error('Invalid environment variables:\n  SAMPLE_PUBLIC_URL: must be an origin');
      },
      jobs,
      exit,
    });
    expect(exit).toHaveBeenCalledWith(1);
    expect(errors).toHaveBeenCalledWith(expect.stringMatching(/^The sample server does not start: Invalid environment variables:\n {2}SAMPLE_PUBLIC_URL/));
    expect(jobs).not.toHaveBeenCalled();
  });

  it('validates at start, and tries the job workers again every 30 s while they fail', async () => {
    vi.useFakeTimers();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const validateEnv = vi.fn();
    const start = vi.fn().mockRejectedValueOnce(new Error('connect ECONNREFUSED')).mockResolvedValue(undefined);
    await registerProductServer({ name: 'sample', validateEnv, jobs: () => ({ start }) });
    expect(validateEnv).toHaveBeenCalledWith({ start: true });
    await vi.advanceTimersByTimeAsync(0);
    expect(start).toHaveBeenCalledTimes(1);
    expect(errors).toHaveBeenCalledWith(expect.stringMatching(/workers not started, trying again in 30 s: connect ECONNREFUSED/));
    await vi.advanceTimersByTimeAsync(29_000);
    expect(start).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(start).toHaveBeenCalledTimes(2);
  });

  it('starts no workers when the process works none', async () => {
    const jobs = vi.fn().mockResolvedValue(null);
    await registerProductServer({ name: 'sample', validateEnv: () => {}, jobs });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(jobs).toHaveBeenCalledTimes(1);
  });
});

describe('productNextConfig', () => {
  it('validates for a build without the production secrets, otherwise in full', () => {
    const validateEnv = vi.fn();
    const config = productNextConfig({ dir: '/repo/apps/sample', validateEnv });
    expect(config('phase-production-build')).toMatchObject({ output: 'standalone', outputFileTracingRoot: '/repo', serverExternalPackages: ['postgres', 'libpg-query'] });
    expect(validateEnv).toHaveBeenLastCalledWith({ build: true });
    config('phase-development-server');
    expect(validateEnv).toHaveBeenLastCalledWith({ build: false });
  });
});
