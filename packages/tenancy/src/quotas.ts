/**
 * Per-tenant quotas on expensive operations (C12), with rate-limiter-flexible: each tenant draws
 * on its own bucket per operation, so one tenant exhausting its exports leaves the others'
 * untouched. In process by default; in Redis (REDIS_URL) when several processes serve the app.
 */
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { TenancyError } from './errors';
import { scopeTenantId, type TenantScope } from './scope';

export interface QuotaRule {
  /** How many units a tenant may use per window. */
  points: number;
  /** The window, in seconds. */
  perSeconds: number;
}

/** A tenant used up an operation's quota: answer 429 with Retry-After. */
export class QuotaExceededError extends TenancyError {
  readonly status = 429;

  constructor(
    readonly operation: string,
    readonly tenantId: string,
    readonly retryAfterSeconds: number,
  ) {
    super('QUOTA_EXCEEDED', `The ${operation} quota of this workspace is used up; try again in ${retryAfterSeconds} s.`);
  }
}

export interface QuotaUse {
  remaining: number;
  resetInSeconds: number;
}

export interface QuotasOptions {
  /** Share the buckets between processes (ioredis client). */
  redis?: Redis;
  /** Key prefix in Redis (default 'studio:quota'). */
  prefix?: string;
}

export function createQuotas<Op extends string>(rules: Record<Op, QuotaRule>, options: QuotasOptions = {}) {
  const limiters = new Map<string, RateLimiterAbstract>();
  for (const [operation, rule] of Object.entries(rules) as [Op, QuotaRule][]) {
    if (!/^[a-z][a-z0-9_.-]*$/.test(operation)) throw new TypeError(`Quota name ${JSON.stringify(operation)}: lowercase letters, digits, '.', '_' or '-'.`);
    if (!(rule.points > 0) || !(rule.perSeconds > 0)) throw new TypeError(`Quota ${operation}: points and perSeconds must be positive.`);
    const keyPrefix = `${options.prefix ?? 'studio:quota'}:${operation}`;
    const opts = { keyPrefix, points: rule.points, duration: rule.perSeconds };
    limiters.set(operation, options.redis ? new RateLimiterRedis({ ...opts, storeClient: options.redis }) : new RateLimiterMemory(opts));
  }

  function limiter(operation: Op): RateLimiterAbstract {
    const found = limiters.get(operation);
    if (!found) throw new TypeError(`No quota named ${operation}; declare it in createQuotas().`);
    return found;
  }

  return {
    /** Takes `cost` units of the tenant's quota; throws QuotaExceededError when there are not enough. */
    async consume(scope: TenantScope, operation: Op, cost = 1): Promise<QuotaUse> {
      const tenantId = scopeTenantId(scope);
      try {
        const res = await limiter(operation).consume(tenantId, cost);
        return { remaining: res.remainingPoints, resetInSeconds: Math.ceil(res.msBeforeNext / 1000) };
      } catch (error) {
        if (error instanceof RateLimiterRes) {
          throw new QuotaExceededError(operation, tenantId, Math.max(1, Math.ceil(error.msBeforeNext / 1000)));
        }
        throw error;
      }
    },
    /** What is left, without using any. */
    async remaining(scope: TenantScope, operation: Op): Promise<QuotaUse> {
      const tenantId = scopeTenantId(scope);
      const res = await limiter(operation).get(tenantId);
      const rule = rules[operation];
      return res
        ? { remaining: Math.max(0, rule.points - res.consumedPoints), resetInSeconds: Math.ceil(res.msBeforeNext / 1000) }
        : { remaining: rule.points, resetInSeconds: 0 };
    },
    /** Gives a tenant its full quota back (support, tests). */
    async reset(scope: TenantScope, operation: Op): Promise<void> {
      await limiter(operation).delete(scopeTenantId(scope));
    },
  };
}

export type Quotas<Op extends string = string> = ReturnType<typeof createQuotas<Op>>;

/** The 429 for a QuotaExceededError: a JSON error and Retry-After. */
export function quotaExceededResponse(error: QuotaExceededError): Response {
  return Response.json(
    { error: { code: error.code, message: error.message, operation: error.operation } },
    { status: 429, headers: { 'retry-after': String(error.retryAfterSeconds) } },
  );
}
