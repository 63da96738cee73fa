/**
 * Limits on attempts that may fail (sign-in), with backoff: a few free, then each attempt waits
 * twice as long as the one before, up to a ceiling. Keyed by whatever the caller names (an
 * address, a client); in process by default, in Redis when several processes serve the app.
 *
 * An attempt counts when it starts, so attempts sent in parallel cannot slip past the limit while
 * the first ones are still being checked; a success then takes its own count back (or, with
 * `resetOnSuccess`, forgets the key's whole series).
 */
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { TenancyError } from '../errors';
import { formatWait } from '../internal/format';
import { sharedRedis } from '../internal/redis';

export interface AttemptRule {
  /** Attempts that may fail before any wait. */
  free: number;
  /** The first wait, in seconds; each further attempt doubles it. */
  baseSeconds: number;
  /** The longest wait, in seconds. */
  maxSeconds: number;
  /** A series of attempts is forgotten this long after its first one (seconds). */
  windowSeconds: number;
  /** A success forgets the key's failures (an address); otherwise it only takes its own attempt back (a client shared by many people). */
  resetOnSuccess?: boolean;
}

/** Too many attempts under one key: answer 429 with Retry-After. */
export class TooManyAttemptsError extends TenancyError {
  readonly status = 429;

  constructor(
    /** Which rule refused (e.g. 'address', 'client'). */
    readonly limit: string,
    readonly retryAfterSeconds: number,
  ) {
    super('TOO_MANY_ATTEMPTS', `Too many attempts; try again ${formatWait(retryAfterSeconds)}.`);
  }

  /** By `code`, not `instanceof`: the error may come from another copy of this package. */
  static override is(error: unknown): error is TooManyAttemptsError {
    return TenancyError.is(error) && error.code === 'TOO_MANY_ATTEMPTS';
  }
}

export interface AttemptLimitsOptions {
  /** Count in Redis, on the process's shared client for this URL (an app's REDIS_URL; unset: in process). */
  redisUrl?: string;
  /** Count in Redis on this ioredis client (instead of `redisUrl`). */
  redis?: Redis;
  /** Key prefix in Redis (default 'studio:attempts'). */
  prefix?: string;
}

export type AttemptKeys<K extends string> = Partial<Record<K, string | null | undefined>>;

export function createAttemptLimits<K extends string>(rules: Record<K, AttemptRule>, options: AttemptLimitsOptions = {}) {
  const prefix = options.prefix ?? 'studio:attempts';
  const redis = options.redis ?? (options.redisUrl ? sharedRedis(options.redisUrl) : undefined);
  // While Redis does not answer, each process counts on its own (rate-limiter-flexible's
  // insuranceLimiter): sign-in stays limited, and never fails because Redis is down.
  const make = (keyPrefix: string, points: number, duration: number): RateLimiterAbstract =>
    redis
      ? new RateLimiterRedis({ storeClient: redis, keyPrefix, points, duration, insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration }) })
      : new RateLimiterMemory({ keyPrefix, points, duration });
  const limits = new Map<K, { rule: AttemptRule; count: RateLimiterAbstract; wait: RateLimiterAbstract }>();
  for (const [name, rule] of Object.entries(rules) as [K, AttemptRule][]) {
    if (!(rule.free >= 0) || !(rule.baseSeconds > 0) || !(rule.maxSeconds >= rule.baseSeconds) || !(rule.windowSeconds > 0)) {
      throw new TypeError(`Attempt rule ${name}: free >= 0, baseSeconds > 0, maxSeconds >= baseSeconds, windowSeconds > 0.`);
    }
    limits.set(name, { rule, count: make(`${prefix}:${name}:count`, Number.MAX_SAFE_INTEGER, rule.windowSeconds), wait: make(`${prefix}:${name}:wait`, 1, 1) });
  }

  const present = (keys: AttemptKeys<K>) =>
    (Object.entries(keys) as [K, string | null | undefined][]).filter((e): e is [K, string] => typeof e[1] === 'string' && e[1] !== '' && limits.has(e[0]));

  return {
    /**
     * Starts an attempt: throws TooManyAttemptsError (the longest wait of the keys) while any key
     * must wait; otherwise counts the attempt, and past the free ones makes the next wait.
     */
    async begin(keys: AttemptKeys<K>): Promise<void> {
      const named = present(keys);
      let refusal: TooManyAttemptsError | null = null;
      for (const [name, key] of named) {
        const waiting = await limits.get(name)!.wait.get(key);
        if (waiting && waiting.consumedPoints > 1 && waiting.msBeforeNext > 0) {
          const seconds = Math.max(1, Math.ceil(waiting.msBeforeNext / 1000));
          if (!refusal || seconds > refusal.retryAfterSeconds) refusal = new TooManyAttemptsError(name, seconds);
        }
      }
      if (refusal) throw refusal;
      for (const [name, key] of named) {
        const { rule, count, wait } = limits.get(name)!;
        const n = (await count.consume(key)).consumedPoints;
        if (n > rule.free) await wait.block(key, Math.min(rule.maxSeconds, rule.baseSeconds * 2 ** (n - rule.free - 1)));
      }
    },
    /** The attempt begun with these keys succeeded. */
    async succeeded(keys: AttemptKeys<K>): Promise<void> {
      for (const [name, key] of present(keys)) {
        const { rule, count, wait } = limits.get(name)!;
        if (rule.resetOnSuccess) {
          await Promise.all([count.delete(key), wait.delete(key)]);
          continue;
        }
        const left = (await count.reward(key, 1)).consumedPoints;
        if (left <= rule.free) await wait.delete(key);
      }
    },
    /** Forgets a key (support, tests). */
    async reset(name: K, key: string): Promise<void> {
      const limit = limits.get(name);
      if (limit) await Promise.all([limit.count.delete(key), limit.wait.delete(key)]);
    },
  };
}

export type AttemptLimits<K extends string = string> = ReturnType<typeof createAttemptLimits<K>>;
