/**
 * Per-tenant quotas on expensive operations (C12), with rate-limiter-flexible: each tenant draws
 * on its own bucket per operation, so one tenant exhausting its exports leaves the others'
 * untouched. Inside a tenant, each person (a signed-in member, or an API token's maker) may use
 * only their share (`perPerson`), so one member cannot use the whole tenant's quota and lock the
 * owner out. In process by default; in Redis (an app's REDIS_URL) when several processes serve the
 * app. While that Redis cannot be reached, each process counts in its own memory (an
 * insuranceLimiter with the same rules): Redis being down never fails a request, and the quota
 * still holds per process (so, for the outage, up to N times it with N processes).
 */
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { TenancyError } from './errors';
import { formatWait } from './internal/format';
import { sharedRedis } from './internal/redis';
import { scopeTenantId, type TenantScope } from './internal/scope';

export type { TenantScope };

export interface QuotaRule {
  /** How many units a tenant may use per window. */
  points: number;
  /** The window, in seconds. */
  perSeconds: number;
  /**
   * How many of those units one person may use per window (default: all of them). Below
   * `points`, no single member can empty the tenant's quota.
   */
  perPerson?: number;
}

/** Whose quota ran out: the tenant's, or the share of the person asking. */
export type QuotaHolder = 'tenant' | 'person';

/**
 * A tenant (or one person in it) used up an operation's quota: answer 429 with Retry-After on
 * APIs, and the message (which says when, in words) on pages. Recognise it with
 * `isQuotaExceeded(error)`, never `instanceof`: Next bundles this package once per layer.
 */
export class QuotaExceededError extends TenancyError {
  readonly status = 429;

  constructor(
    readonly operation: string,
    readonly tenantId: string,
    readonly retryAfterSeconds: number,
    readonly holder: QuotaHolder = 'tenant',
  ) {
    super(
      'QUOTA_EXCEEDED',
      holder === 'person'
        ? `You have used your share of this workspace's ${operation} quota for now. Try again ${formatWait(retryAfterSeconds)}.`
        : `This workspace has used its ${operation} quota for now. Try again ${formatWait(retryAfterSeconds)}.`,
    );
  }
}

/** True for a QuotaExceededError of any copy of this package: by its `code`, not its class. */
export function isQuotaExceeded(error: unknown): error is QuotaExceededError {
  return TenancyError.is(error) && error.code === 'QUOTA_EXCEEDED' && typeof (error as { retryAfterSeconds?: unknown }).retryAfterSeconds === 'number';
}

export interface QuotaUse {
  remaining: number;
  resetInSeconds: number;
}

export interface QuotasOptions {
  /** Share the buckets between processes: the process's shared client for this URL (an app's REDIS_URL; unset: in process). */
  redisUrl?: string;
  /** Share the buckets between processes on this ioredis client (instead of `redisUrl`). */
  redis?: Redis;
  /** Key prefix in Redis (default 'studio:quota'). */
  prefix?: string;
}

export interface ConsumeOptions {
  /** Units to take (default 1). */
  cost?: number;
  /**
   * Who is asking, for the per-person share; default: from the scope (a request context's signed-in
   * user, or its API token's maker). Null: nobody in particular (a background job), the tenant's
   * bucket alone.
   */
  person?: string | null;
}

/** The person of a request context: the signed-in user, else whoever made the API token (else the token). */
function personOf(scope: TenantScope): string | null {
  const ctx = scope as { session?: { userId?: unknown } | null; apiToken?: { tokenId?: unknown; createdBy?: unknown } | null };
  if (typeof ctx.session?.userId === 'string') return `user:${ctx.session.userId}`;
  if (typeof ctx.apiToken?.createdBy === 'string') return `user:${ctx.apiToken.createdBy}`;
  if (typeof ctx.apiToken?.tokenId === 'string') return `token:${ctx.apiToken.tokenId}`;
  return null;
}

const secondsOf = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

export function createQuotas<Op extends string>(rules: Record<Op, QuotaRule>, options: QuotasOptions = {}) {
  const redis = options.redis ?? (options.redisUrl ? sharedRedis(options.redisUrl) : undefined);
  const limiters = new Map<string, { tenant: RateLimiterAbstract; person: RateLimiterAbstract | null }>();
  for (const [operation, rule] of Object.entries(rules) as [Op, QuotaRule][]) {
    if (!/^[a-z][a-z0-9_.-]*$/.test(operation)) throw new TypeError(`Quota name ${JSON.stringify(operation)}: lowercase letters, digits, '.', '_' or '-'.`);
    if (!(rule.points > 0) || !(rule.perSeconds > 0)) throw new TypeError(`Quota ${operation}: points and perSeconds must be positive.`);
    if (rule.perPerson !== undefined && !(rule.perPerson > 0 && rule.perPerson <= rule.points)) {
      throw new TypeError(`Quota ${operation}: perPerson must be positive and at most points.`);
    }
    const keyPrefix = `${options.prefix ?? 'studio:quota'}:${operation}`;
    const make = (prefix: string, points: number) => {
      const opts = { keyPrefix: prefix, points, duration: rule.perSeconds };
      // Redis unreachable (or too slow, see sharedRedis): this process's memory answers instead.
      return redis ? new RateLimiterRedis({ ...opts, storeClient: redis, insuranceLimiter: new RateLimiterMemory(opts) }) : new RateLimiterMemory(opts);
    };
    limiters.set(operation, {
      tenant: make(keyPrefix, rule.points),
      person: rule.perPerson !== undefined && rule.perPerson < rule.points ? make(`${keyPrefix}:person`, rule.perPerson) : null,
    });
  }

  function limiter(operation: Op) {
    const found = limiters.get(operation);
    if (!found) throw new TypeError(`No quota named ${operation}; declare it in createQuotas().`);
    return found;
  }

  return {
    /**
     * Takes `cost` units of the person's share and of the tenant's quota; throws
     * QuotaExceededError when either has too few. A refusal by the tenant's quota gives the
     * person's units back.
     */
    async consume(scope: TenantScope, operation: Op, costOrOptions: number | ConsumeOptions = {}): Promise<QuotaUse> {
      const tenantId = scopeTenantId(scope);
      const opts = typeof costOrOptions === 'number' ? { cost: costOrOptions } : costOrOptions;
      const cost = opts.cost ?? 1;
      const { tenant, person } = limiter(operation);
      const who = opts.person === undefined ? personOf(scope) : opts.person;
      const personKey = person && who ? `${tenantId}:${who}` : null;
      if (personKey) {
        try {
          await person!.consume(personKey, cost);
        } catch (error) {
          if (error instanceof RateLimiterRes) throw new QuotaExceededError(operation, tenantId, secondsOf(error), 'person');
          throw error;
        }
      }
      try {
        const res = await tenant.consume(tenantId, cost);
        return { remaining: res.remainingPoints, resetInSeconds: Math.ceil(res.msBeforeNext / 1000) };
      } catch (error) {
        if (personKey) await person!.reward(personKey, cost);
        if (error instanceof RateLimiterRes) throw new QuotaExceededError(operation, tenantId, secondsOf(error), 'tenant');
        throw error;
      }
    },
    /** What is left of the tenant's quota, without using any. */
    async remaining(scope: TenantScope, operation: Op): Promise<QuotaUse> {
      const tenantId = scopeTenantId(scope);
      const res = await limiter(operation).tenant.get(tenantId);
      const rule = rules[operation];
      return res
        ? { remaining: Math.max(0, rule.points - res.consumedPoints), resetInSeconds: Math.ceil(res.msBeforeNext / 1000) }
        : { remaining: rule.points, resetInSeconds: 0 };
    },
    /** How much of the tenant's quota is used in the current window, and its size: "2 of 6 exports this hour". */
    async usage(scope: TenantScope, operation: Op): Promise<{ used: number; limit: number; perSeconds: number; resetInSeconds: number }> {
      const rule = rules[operation];
      const { remaining, resetInSeconds } = await this.remaining(scope, operation);
      return { used: rule.points - remaining, limit: rule.points, perSeconds: rule.perSeconds, resetInSeconds };
    },
    /** Gives a tenant its full quota back (support, tests); people's shares refill with their window. */
    async reset(scope: TenantScope, operation: Op): Promise<void> {
      await limiter(operation).tenant.delete(scopeTenantId(scope));
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
