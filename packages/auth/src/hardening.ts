/**
 * What we add in front of Better Auth's endpoints, as one plugin of its own (issue 19): sign-in
 * limits per address and per client (clients keyed on clientAddress(), never on what the client
 * wrote in X-Forwarded-For), ids checked before Better Auth looks them up, another tenant's member
 * ids answered as unknown, confirmation links only to the signed-in account's own address.
 * Why each: docs/auth-and-resolver.md#users-sessions-roles
 */
import type { BetterAuthPlugin } from 'better-auth';
import { APIError, createAuthMiddleware, getSessionFromCtx } from 'better-auth/api';
import { clientAddress, createAttemptLimits, TooManyAttemptsError, formatWait, type AttemptLimitsOptions } from '@studio/tenancy/request';
import { isUuid } from '@studio/tenancy';

export interface HardeningOptions {
  /** Reverse proxies in front of the app that append to X-Forwarded-For (trustedProxiesFromEnv()). */
  trustedProxies?: number;
  /** Where attempts are counted: in process by default, Redis when several processes serve the app. */
  attempts?: AttemptLimitsOptions;
}

/**
 * Per address: five free attempts, then 30 s, 1 min, 2 min ... up to 15 min between attempts; a
 * success forgets the series. Per client: twenty free (an office behind one address), then the
 * same backoff; a success takes back only its own attempt, so an attacker's own account cannot
 * reset the count of the addresses it tries.
 */
export const SIGN_IN_LIMITS = {
  address: { free: 5, baseSeconds: 30, maxSeconds: 900, windowSeconds: 3600, resetOnSuccess: true },
  client: { free: 20, baseSeconds: 30, maxSeconds: 900, windowSeconds: 3600 },
} as const;

/**
 * The header Better Auth's own limiter reads the client from (`advanced.ipAddress`). Only
 * withClientAddress() writes it, on every request through `auth.handler`, with clientAddress():
 * a client that sends it is overwritten. Without it, Better Auth reads X-Forwarded-For, refuses a
 * chain of several entries (ours always has the peer appended), and puts every such client in one
 * shared bucket: three sign-ins per 10 s for everybody.
 */
export const CLIENT_ADDRESS_HEADER = 'x-studio-client-address';

/** The request with CLIENT_ADDRESS_HEADER set to its client (or removed when there is none). */
export function withClientAddress(request: Request, trustedProxies = 0): Request {
  const headers = new Headers(request.headers);
  const client = clientAddress(headers, trustedProxies);
  if (client) headers.set(CLIENT_ADDRESS_HEADER, client.replace(/::\/64$/, '::'));
  else headers.delete(CLIENT_ADDRESS_HEADER);
  return new Request(request, { headers });
}

/** Body and query fields that hold ids; each must be a UUID. */
const ID_FIELDS = ['id', 'organizationId', 'invitationId', 'memberId', 'userId', 'teamId'] as const;

/** Better Auth's own answer for an unknown member (organization plugin, MEMBER_NOT_FOUND). */
const memberNotFound = () => APIError.from('BAD_REQUEST', { code: 'MEMBER_NOT_FOUND', message: 'Member not found' });

const MEMBER_PATHS = new Set(['/organization/remove-member', '/organization/update-member-role']);

export function hardening(options: HardeningOptions = {}) {
  const limits = createAttemptLimits(SIGN_IN_LIMITS, { prefix: 'studio:sign-in', ...options.attempts });

  function signInKeys(ctx: { body?: unknown; headers?: Headers; request?: Request }) {
    const email = (ctx.body as { email?: unknown } | undefined)?.email;
    const headers = ctx.headers ?? ctx.request?.headers;
    return {
      address: typeof email === 'string' ? email.trim().toLowerCase() : null,
      client: headers ? clientAddress(headers, options.trustedProxies ?? 0) : null,
    };
  }

  return {
    id: 'studio-hardening',
    hooks: {
      before: [
        {
          matcher: (ctx) => ctx.path === '/sign-in/email',
          handler: createAuthMiddleware(async (ctx) => {
            try {
              await limits.begin(signInKeys(ctx));
            } catch (error) {
              if (!TooManyAttemptsError.is(error)) throw error;
              const who = error.limit === 'address' ? 'this address' : 'your network';
              throw new APIError(
                'TOO_MANY_REQUESTS',
                { code: 'TOO_MANY_ATTEMPTS', message: `Too many sign-in attempts for ${who}. Try again ${formatWait(error.retryAfterSeconds)}.` },
                { 'Retry-After': String(error.retryAfterSeconds) },
              );
            }
          }),
        },
        {
          matcher: () => true,
          handler: createAuthMiddleware(async (ctx) => {
            for (const source of [ctx.body, ctx.query] as unknown[]) {
              if (!source || typeof source !== 'object') continue;
              for (const field of ID_FIELDS) {
                const value = (source as Record<string, unknown>)[field];
                if (value === undefined || value === null || value === '') continue;
                if (!isUuid(value)) {
                  if (MEMBER_PATHS.has(ctx.path ?? '') && field === 'memberId') throw memberNotFound();
                  throw new APIError('BAD_REQUEST', { code: 'INVALID_ID', message: `${field} is not an id.` });
                }
              }
            }
          }),
        },
        {
          // Without a session Better Auth mails a verification link for any unverified address
          // asked for: a link the owner of the mailbox may follow for an account somebody else
          // made, whose password that somebody knows. Only the signed-in account asks for its own.
          matcher: (ctx) => ctx.path === '/send-verification-email',
          handler: createAuthMiddleware(async (ctx) => {
            if (!(await getSessionFromCtx(ctx))) {
              throw new APIError('UNAUTHORIZED', { code: 'SIGN_IN_FIRST', message: 'Sign in first: a confirmation link goes to the address of the signed-in account.' });
            }
          }),
        },
        {
          matcher: (ctx) => MEMBER_PATHS.has(ctx.path ?? ''),
          handler: createAuthMiddleware(async (ctx) => {
            const body = (ctx.body ?? {}) as { memberId?: unknown; memberIdOrEmail?: unknown; organizationId?: unknown };
            const given = body.memberId ?? body.memberIdOrEmail;
            // By email, Better Auth looks in the organization only.
            if (typeof given !== 'string' || given.includes('@')) return;
            if (!isUuid(given)) throw memberNotFound();
            let organizationId = typeof body.organizationId === 'string' ? body.organizationId : null;
            if (!organizationId) {
              const session = await getSessionFromCtx(ctx);
              // Nobody signed in: the endpoint itself answers 401.
              if (!session) return;
              organizationId = (session.session as { activeOrganizationId?: string | null }).activeOrganizationId ?? null;
            }
            const member = await ctx.context.adapter.findOne<{ organizationId: string }>({ model: 'member', where: [{ field: 'id', value: given }] });
            if (member && member.organizationId !== organizationId) throw memberNotFound();
          }),
        },
      ],
      after: [
        {
          matcher: (ctx) => ctx.path === '/sign-in/email',
          handler: createAuthMiddleware(async (ctx) => {
            const returned = ctx.context.returned as { statusCode?: unknown } | Response | undefined;
            const status = returned instanceof Response ? returned.status : typeof returned?.statusCode === 'number' ? returned.statusCode : 200;
            // 200, or 403 for a right password on an unverified address: the password was right.
            if (status === 200 || status === 403) await limits.succeeded(signInKeys(ctx));
          }),
        },
      ],
    },
  } satisfies BetterAuthPlugin;
}
