import * as schema from '@studio/db-schema/schema';
import { tryGetCurrentAuthEndpointContext } from '@better-auth/core/context';
import { audit, type AuditEvent } from '@studio/tenancy/audit';
import { hasTenantRole, type AttemptLimitsOptions, type IdentityProvider, type Membership, type RequestSession, type TenantRole } from '@studio/tenancy/request';
import { isUuid, TenancyError, type Database } from '@studio/tenancy';
import { reconnectBackoff, REQUEST_SESSION } from '@studio/tenancy/connection';
import { betterAuth } from 'better-auth';
import { APIError } from 'better-auth/api';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { organization } from 'better-auth/plugins/organization';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { CLIENT_ADDRESS_HEADER, hardening, withClientAddress } from './hardening';
import type { Mailer } from './mail';
import { verifyApiToken } from './tokens';

export interface AuthConfig {
  /**
   * The auth role's URL of the shared database (users, sessions, memberships and invitations
   * live there): `authDatabaseUrl()` from @studio/tenancy. Not the product role, which cannot
   * read credentials (C15).
   */
  url: string;
  /** The app's tenancy database: API tokens are checked through the tenant's scoped client. */
  db: Database;
  /** Signs session cookies; at least 32 characters (authSecretFromEnv()). */
  secret: string;
  /**
   * Where the app is served. A string for one host, or the hosts it answers on (tenant
   * subdomains: `['localhost:3001', '*.localhost:3001']`) with a fallback URL.
   */
  baseURL: string | { allowedHosts: string[]; fallback: string; protocol?: 'http' | 'https' };
  /** Origins allowed to POST to the auth endpoints, e.g. 'http://*.localhost:3001'. */
  trustedOrigins?: string[];
  mailer: Mailer;
  /** The page an invitee opens: receives the invitation id and the tenant's slug. */
  invitationLink: (invitation: { id: string; tenantSlug: string }) => string;
  /**
   * The app's page that sets a new password from `?token=` (default '/reset-password'). A claim
   * link leads there: the owner of an address someone else signed up with unverified takes it back.
   */
  resetPasswordPath?: string;
  /**
   * One session for every tenant host under this domain (`example.com`: the cookie goes to
   * `*.example.com`), so the workspace switcher does not land on a sign-in form. Unset: a
   * session per host. See sessionDomainFor() for when it is safe.
   */
  sessionDomain?: string;
  /** Session lifetime in seconds (default 7 days). */
  sessionExpiresIn?: number;
  /** Reverse proxies in front of the app that append to X-Forwarded-For (trustedProxiesFromEnv()): per-client sign-in limits key on what they saw. */
  trustedProxies?: number;
  /**
   * The app's REDIS_URL: sign-in attempts are counted there, shared by every process that serves
   * the app (one process's count would let an attacker try N times as often across N processes).
   * Unset: in process.
   */
  redisUrl?: string;
  /** Where sign-in attempts are counted, in full (instead of `redisUrl`; tests give their own prefix). */
  signInAttempts?: AttemptLimitsOptions;
}

/**
 * Email + password sign-in, sessions in Postgres and invitations, through Better Auth. Its
 * organizations are our `tenants`, its members our `memberships`. Tenants are created by the
 * platform (seed, admin console), never by a signed-in user; nobody can rename or delete a
 * tenant through these endpoints either (the app role has no such grant, and the paths are off).
 */
/**
 * The signed-in user of the Better Auth request being handled, from its endpoint context (an
 * AsyncLocalStorage): the organization hooks for a removed member or a changed role name the
 * member acted on, not who acted. Null outside a request (a server-side call with no session).
 */
/** drizzle() swaps the pool's date parsers for its own, so timestamps come back from `pool` as text. */
const asDate = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));

const RANK: Record<TenantRole, number> = { member: 1, admin: 2, owner: 3 };

/** How long an invitation link works, in seconds: a week. */
const INVITATION_EXPIRES_IN = 60 * 60 * 24 * 7;

function requestActor(): string | null {
  const session = tryGetCurrentAuthEndpointContext()?.context.session as { user?: { id?: unknown } } | null | undefined;
  return typeof session?.user?.id === 'string' ? session.user.id : null;
}

/**
 * The domain a product's session may span, from the base domain its tenants are subdomains of:
 * the base domain itself when a browser accepts a cookie for it (a name with a dot, not an IP
 * address), else undefined (a session per host: browsers refuse `Domain=localhost`).
 *
 * Why it is safe: every host under it is this same app, which resolves the tenant and checks the
 * membership on each request, so the session reaches no other party and opens no workspace its
 * user is not a member of. What it costs: signing out, or a revoked session, ends it on every
 * workspace at once (what people expect of one account), and no tenant may be given a host of
 * its own under that domain that serves content we do not (a custom domain keeps its own session).
 */
export function sessionDomainFor(baseDomain: string): string | undefined {
  const host = baseDomain.trim().toLowerCase().replace(/:\d+$/, '');
  if (!host.includes('.') || /^[\d.]+$/.test(host) || host.includes(':')) return undefined;
  return host;
}

export function createAuth(config: AuthConfig) {
  /**
   * Better Auth writes memberships and invitations itself, outside the scoped client, so their
   * audit rows follow in a transaction of their own. A failure is logged, not thrown: the action
   * has already happened, and the caller must not be told otherwise.
   */
  async function auditAfter(tenantId: string, actorId: string | null, event: AuditEvent): Promise<void> {
    try {
      await audit(await config.db.tenant(tenantId, { actor: { userId: actorId } }), event);
    } catch (error) {
      console.error(`[auth] could not audit ${event.action} in tenant ${tenantId}:`, error);
    }
  }

  // Behind a transaction-mode pooler, named prepared statements would land on the wrong server connection.
  const pool = postgres(config.url, {
    max: 5,
    prepare: config.db.pooler !== 'transaction',
    backoff: reconnectBackoff,
    onnotice: () => {},
    // Pinned like the scoped client's pools (C15): settings the auth role gives itself do not
    // reach it. PgBouncer refuses unknown startup parameters; behind it, the pooler pins them.
    connection: (config.db.pooler === 'transaction'
      ? { application_name: 'studio:auth' }
      : { application_name: 'studio:auth', ...REQUEST_SESSION }) as postgres.Options<Record<string, never>>['connection'],
  });
  const orm = drizzle({ client: pool, schema });

  /**
   * Whether `userId` may still send an invitation for `role` in the tenant (Better Auth's rule:
   * admins and owners invite; only owners invite owners). A tenant's first owner is invited by the
   * platform (createOwnerInvitation): that invitation holds while its sender is a platform admin
   * and the tenant has no owner yet, so it makes one owner, never a second.
   */
  async function mayInvite(userId: string, tenantId: string, role: TenantRole): Promise<boolean> {
    const found = await membership(userId, tenantId);
    // Inviting for a role needs that role at least, and admin at least: owners invite owners.
    if (hasTenantRole(found, 'admin') && hasTenantRole(found, role)) return true;
    // Only an owner invitation, the one the platform sends.
    return RANK[role] === RANK.owner && (await platformMayInviteOwner(userId, tenantId));
  }

  /** Whether `userId` is a platform admin and the tenant has no owner (the one case the platform invites). */
  async function platformMayInviteOwner(userId: string, tenantId: string): Promise<boolean> {
    const [row] = await pool<{ ok: boolean }[]>`
      select coalesce((select is_platform_admin from users where id = ${userId}), false)
        and not exists (select 1 from memberships where tenant_id = ${tenantId} and role = 'owner') as ok`;
    return row?.ok === true;
  }

  /** Cancels pending invitations of the tenant (one, or all those a person sent), each audited. */
  async function revokeInvitations(tenantId: string, which: { id: string } | { inviterId: string }, reason: string, actorId: string | null): Promise<void> {
    const rows =
      'id' in which
        ? await pool<{ email: string; role: string }[]>`
            update invitations set status = 'canceled' where tenant_id = ${tenantId} and id = ${which.id} and status = 'pending' returning email, role`
        : await pool<{ email: string; role: string }[]>`
            update invitations set status = 'canceled' where tenant_id = ${tenantId} and inviter_id = ${which.inviterId} and status = 'pending' returning email, role`;
    for (const row of rows) await auditAfter(tenantId, actorId, { action: 'invitation.cancel', target: row.email, payload: { role: row.role, reason } });
  }

  /** The pending invitation of the tenant to an address (there is at most one: inviting again replaces it). */
  async function pendingTo(tenantId: string, email: string): Promise<{ id: string; role: TenantRole }> {
    const [row] = isUuid(tenantId)
      ? await pool<{ id: string; role: TenantRole }[]>`
          select id, role from invitations where tenant_id = ${tenantId} and lower(email) = ${email.trim().toLowerCase()} and status = 'pending' and expires_at > now()
          order by created_at desc limit 1`
      : [];
    if (!row) throw new TenancyError('INVITATION_NOT_FOUND', `No pending invitation to ${email} here: it may have been accepted, revoked or replaced. Reload the members page.`);
    return row;
  }

  const resetPasswordPath = config.resetPasswordPath ?? '/reset-password';

  const auth = betterAuth({
    appName: 'Studio',
    secret: config.secret,
    baseURL: config.baseURL,
    trustedOrigins: config.trustedOrigins,
    telemetry: { enabled: false },
    database: drizzleAdapter(orm, {
      provider: 'pg',
      schema: {
        users: schema.users,
        sessions: schema.sessions,
        accounts: schema.accounts,
        verifications: schema.verifications,
        tenants: schema.tenants,
        memberships: schema.memberships,
        invitations: schema.invitations,
      },
    }),
    advanced: {
      database: { generateId: 'uuid' },
      // Better Auth skips the origin (CSRF) check when NODE_ENV is 'test'; we never do, so the
      // tests exercise what production runs.
      disableOriginCheck: false,
      // Its own limiter (production only) keys clients on the address our handler wraps in, never
      // on what the client wrote in X-Forwarded-For (hardening.ts).
      ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] },
      ...(config.sessionDomain ? { crossSubDomainCookies: { enabled: true, domain: config.sessionDomain } } : {}),
    },
    user: {
      modelName: 'users',
      additionalFields: {
        // Readable on the session, never writable through sign-up or profile updates.
        isPlatformAdmin: { type: 'boolean', required: false, defaultValue: false, input: false },
      },
    },
    session: {
      modelName: 'sessions',
      expiresIn: config.sessionExpiresIn ?? 60 * 60 * 24 * 7,
      // Every request reads the session row, so a revoked session is refused at once.
      cookieCache: { enabled: false },
    },
    account: { modelName: 'accounts' },
    verification: { modelName: 'verifications' },
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 10,
      maxPasswordLength: 128,
      // Sign-up answers alike for a new and a registered address (Better Auth's generic answer,
      // with the same work done for both), and opens no session: the client signs in next. The
      // owner of a registered address is told by mail instead (issue 19: any address could be checked).
      autoSignIn: false,
      async onExistingUserSignUp({ user }, request) {
        if (!user.emailVerified) {
          // Somebody signed up with this address and never proved it theirs (issue 19: then the
          // real owner could not sign up). The owner of the mailbox gets a link to claim it: a
          // new password, which also confirms the address and ends the other person's sessions.
          await auth.api.requestPasswordReset({ body: { email: user.email, redirectTo: resetPasswordPath }, headers: request?.headers });
          return;
        }
        const signIn = request ? `${new URL(request.url).origin}/sign-in` : undefined;
        await config.mailer.send({
          to: user.email,
          subject: 'Someone tried to sign up with your address',
          text: `Somebody tried to create an account with ${user.email}, which already has one. If it was you, sign in${signIn ? ` at ${signIn}` : ''}; otherwise there is nothing to do.`,
          link: signIn,
        });
      },
      // Proving the mailbox: a claim link for an unverified address, or a plain password reset.
      async sendResetPassword({ user, url }) {
        await config.mailer.send(
          user.emailVerified
            ? { to: user.email, subject: 'Set a new password', text: `Someone asked to reset the password of ${user.email}. If it was you, choose a new one: ${url}. Otherwise ignore this message.`, link: url }
            : {
                to: user.email,
                subject: 'Claim your address',
                text: `Someone signed up with ${user.email} before you, without confirming it. If this is your address, choose your password here; that confirms the address and signs everyone else out: ${url}`,
                link: url,
              },
        );
      },
      resetPasswordTokenExpiresIn: 60 * 60,
      revokeSessionsOnPasswordReset: true,
      // The reset link reached the mailbox, so the address is proved.
      async onPasswordReset({ user }) {
        if (!user.emailVerified) await pool`update users set email_verified = true, updated_at = now() where id = ${user.id}`;
      },
    },
    emailVerification: {
      // A new account gets a link to confirm its address; following it signs the person in.
      sendOnSignUp: true,
      autoSignInAfterVerification: true,
      expiresIn: 60 * 60 * 24,
      async sendVerificationEmail({ user, url }) {
        await config.mailer.send({
          to: user.email,
          subject: 'Confirm your address',
          text: `Confirm that ${user.email} is yours: ${url}. If you did not sign up, ignore this message.`,
          link: url,
        });
      },
    },
    disabledPaths: ['/organization/create', '/organization/update', '/organization/delete', '/organization/check-slug'],
    plugins: [
      organization({
        allowUserToCreateOrganization: false,
        disableOrganizationDeletion: true,
        creatorRole: 'owner',
        invitationExpiresIn: INVITATION_EXPIRES_IN,
        // Inviting an address again replaces its pending invitation (the old link dies).
        cancelPendingInvitationsOnReInvite: true,
        // An invitation id is a link, not a proof: accepting (and reading one) needs the address
        // verified by a link mailed to it (issue 19: a member who learnt an admin invitation's id
        // signed up as the invitee and accepted).
        requireEmailVerificationOnInvitation: true,
        schema: {
          organization: { modelName: 'tenants' },
          member: { modelName: 'memberships', fields: { organizationId: 'tenantId' } },
          invitation: { modelName: 'invitations', fields: { organizationId: 'tenantId' } },
          session: { fields: { activeOrganizationId: 'activeTenantId' } },
        },
        organizationHooks: {
          // Invitation ids are the secret of an invite link (C16): the trail names the address instead.
          afterCreateInvitation: ({ invitation, inviter, organization: tenant }) =>
            auditAfter(tenant.id, inviter.id, { action: 'member.invite', target: invitation.email, payload: { email: invitation.email, role: invitation.role } }),
          // An invitation speaks for its sender: it holds only while they may still invite for that role.
          beforeAcceptInvitation: async ({ invitation, organization: tenant }) => {
            if (await mayInvite(invitation.inviterId, tenant.id, invitation.role as TenantRole)) return;
            await revokeInvitations(tenant.id, { id: invitation.id }, 'the inviter can no longer invite', null);
            throw APIError.from('FORBIDDEN', {
              code: 'INVITATION_WITHDRAWN',
              message: 'This invitation was withdrawn: whoever sent it can no longer invite people. Ask someone at the workspace to invite you again.',
            });
          },
          afterAcceptInvitation: ({ invitation, member, user, organization: tenant }) =>
            auditAfter(tenant.id, user.id, { action: 'member.join', target: member.id, payload: { email: invitation.email, role: member.role } }),
          afterRejectInvitation: ({ invitation, user, organization: tenant }) =>
            auditAfter(tenant.id, user.id, { action: 'invitation.reject', target: invitation.email }),
          afterCancelInvitation: ({ invitation, cancelledBy, organization: tenant }) =>
            auditAfter(tenant.id, cancelledBy.id, { action: 'invitation.cancel', target: invitation.email, payload: { role: invitation.role } }),
          // These hooks name the member acted on; who acted is the session of the request.
          afterRemoveMember: async ({ member, user, organization: tenant }) => {
            await auditAfter(tenant.id, requestActor(), { action: 'member.remove', target: member.id, payload: { userId: user.id, email: user.email } });
            // Removal ends what they sent: an admin cannot come back through an invitation to a second address.
            await revokeInvitations(tenant.id, { inviterId: user.id }, 'the inviter was removed', requestActor());
          },
          afterUpdateMemberRole: async ({ member, previousRole, user, organization: tenant }) => {
            await auditAfter(tenant.id, requestActor(), {
              action: 'member.role_change',
              target: member.id,
              payload: { userId: user.id, from: previousRole, to: member.role },
            });
            if (RANK[member.role as TenantRole] < RANK[previousRole as TenantRole]) {
              await revokeInvitations(tenant.id, { inviterId: user.id }, 'the inviter was given a lower role', requestActor());
            }
          },
        },
        async sendInvitationEmail(data) {
          const link = config.invitationLink({ id: data.id, tenantSlug: data.organization.slug });
          await config.mailer.send({
            to: data.email,
            subject: `${data.inviter.user.name} invited you to ${data.organization.name}`,
            text: `${data.inviter.user.name} invited you to join ${data.organization.name} as ${data.role}. Accept: ${link}`,
            link,
          });
        },
      }),
      hardening({ trustedProxies: config.trustedProxies, attempts: config.signInAttempts ?? { redisUrl: config.redisUrl } }),
    ],
  });
  // Every request the apps hand to Better Auth carries the client address we trust (hardening.ts).
  const handle = auth.handler;
  auth.handler = (request: Request) => handle(withClientAddress(request, config.trustedProxies));

  async function session(headers: Headers): Promise<RequestSession | null> {
    const found = await auth.api.getSession({ headers });
    if (!found) return null;
    const user = found.user as typeof found.user & { isPlatformAdmin?: boolean };
    return {
      sessionId: found.session.id,
      userId: user.id,
      email: user.email,
      name: user.name,
      isPlatformAdmin: user.isPlatformAdmin === true,
      activeTenantId: (found.session as { activeOrganizationId?: string | null }).activeOrganizationId ?? null,
    };
  }

  async function membership(userId: string, tenantId: string): Promise<Membership | null> {
    const [row] = await pool<{ role: TenantRole }[]>`
      select role from memberships where user_id = ${userId} and tenant_id = ${tenantId}`;
    return row ? { tenantId, userId, role: row.role } : null;
  }

  const identity: IdentityProvider = {
    session,
    membership,
    apiToken: (token) => verifyApiToken(config.db, token),
  };

  return {
    auth,
    identity,
    /** The tenants a user belongs to, for a tenant switcher. */
    async tenantsOf(userId: string): Promise<{ id: string; slug: string; name: string; status: 'active' | 'suspended' | 'read_only'; role: TenantRole }[]> {
      return pool`
        select t.id, t.slug, t.name, t.status, m.role from memberships m join tenants t on t.id = m.tenant_id
        where m.user_id = ${userId} order by t.name`;
    },
    /** The people of a tenant, for its members page. */
    async membersOf(tenantId: string): Promise<{ userId: string; name: string; email: string; role: TenantRole }[]> {
      return pool`
        select u.id as "userId", u.name, u.email, m.role from memberships m join users u on u.id = m.user_id
        where m.tenant_id = ${tenantId} order by m.created_at`;
    },
    /**
     * The tenant's pending invitations, newest first, for its members page (show it to those who
     * manage members only). No ids: an id is the secret of the invite link (C16); resend and revoke
     * go by address.
     */
    async pendingInvitations(tenantId: string): Promise<PendingInvitation[]> {
      if (!isUuid(tenantId)) return [];
      const rows = await pool<PendingInvitation[]>`
        select i.email, i.role, i.expires_at as "expiresAt", i.created_at as "createdAt", u.email as "invitedBy"
        from invitations i left join users u on u.id = i.inviter_id
        where i.tenant_id = ${tenantId} and i.status = 'pending' and i.expires_at > now()
        order by i.created_at desc`;
      return rows.map((r) => ({ ...r, expiresAt: asDate(r.expiresAt), createdAt: asDate(r.createdAt) }));
    },
    /** Sends the pending invitation to `email` again (same link, a new expiry), as the signed-in caller of `headers`. */
    async resendInvitation(headers: Headers, tenantId: string, email: string): Promise<void> {
      const pending = await pendingTo(tenantId, email);
      await auth.api.createInvitation({ headers, body: { email: email.trim().toLowerCase(), role: pending.role, organizationId: tenantId, resend: true } });
    },
    /** Revokes the pending invitation to `email`, as the signed-in caller of `headers` (who must be allowed to). */
    async revokeInvitation(headers: Headers, tenantId: string, email: string): Promise<void> {
      const pending = await pendingTo(tenantId, email);
      await auth.api.cancelInvitation({ headers, body: { invitationId: pending.id } });
    },
    /**
     * A tenant's first owner, invited by the platform (the admin console; @studio/platform's
     * inviteFirstOwner decides who may and when). The same invitation a member sends: the row,
     * its week of validity, the link (`invitationLink`), the mail and the tenant's `member.invite`
     * audit row, with the platform admin as its inviter. Better Auth's endpoint needs an inviter
     * who is an owner of the tenant, which nobody is yet; accepting goes through Better Auth as
     * for any invitation (the invitee proves the address), and holds while the inviter is a
     * platform admin and the tenant has no owner (mayInvite). One first-owner invitation at a
     * time: a new one replaces any pending owner invitation of the tenant (a mistyped address is
     * corrected by inviting again). Refused (FORBIDDEN) unless `inviterId` is a platform admin and
     * the tenant has no owner.
     */
    async createOwnerInvitation(input: { tenantId: string; email: string; inviterId: string }): Promise<{ id: string; email: string; expiresAt: Date; link: string }> {
      const email = input.email.trim().toLowerCase();
      if (!isUuid(input.tenantId) || !isUuid(input.inviterId)) throw new TenancyError('INVITATION_INVALID', 'Unknown tenant or inviter.');
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new TenancyError('INVITATION_INVALID', `${JSON.stringify(input.email)} is not an email address.`);
      const [tenant] = await pool<{ slug: string; name: string }[]>`select slug, name from tenants where id = ${input.tenantId}`;
      const [inviter] = await pool<{ name: string }[]>`select name from users where id = ${input.inviterId}`;
      if (!tenant || !inviter) throw new TenancyError('INVITATION_INVALID', 'Unknown tenant or inviter.');
      const { id, expiresAt, canceled } = await pool.begin(async (sql) => {
        if (!(await platformMayInviteOwner(input.inviterId, input.tenantId))) {
          throw new TenancyError('INVITATION_FORBIDDEN', 'Only a platform admin invites a first owner, and only while the tenant has none: its owners invite people from the members page.');
        }
        const canceled = await sql<{ email: string; role: string }[]>`
          update invitations set status = 'canceled'
          where tenant_id = ${input.tenantId} and status = 'pending' and (role = 'owner' or lower(email) = ${email})
          returning email, role`;
        const [row] = await sql<{ id: string; expiresAt: Date | string }[]>`
          insert into invitations (tenant_id, email, role, status, expires_at, inviter_id)
          values (${input.tenantId}, ${email}, 'owner', 'pending', now() + ${INVITATION_EXPIRES_IN} * interval '1 second', ${input.inviterId})
          returning id, expires_at as "expiresAt"`;
        return { id: row!.id, expiresAt: asDate(row!.expiresAt), canceled };
      });
      for (const row of canceled) {
        await auditAfter(input.tenantId, input.inviterId, { action: 'invitation.cancel', target: row.email, payload: { role: row.role, reason: 'a new first-owner invitation replaced it' } });
      }
      await auditAfter(input.tenantId, input.inviterId, { action: 'member.invite', target: email, payload: { email, role: 'owner', by: 'platform' } });
      const link = config.invitationLink({ id, tenantSlug: tenant.slug });
      await config.mailer.send({
        to: email,
        subject: `${inviter.name} invited you to ${tenant.name}`,
        text: `${inviter.name} invited you to join ${tenant.name} as owner. Accept: ${link}`,
        link,
      });
      return { id, email, expiresAt, link };
    },
    /** What an invitee sees before accepting: whose invitation, for which address. Null if unknown. */
    async invitation(id: string): Promise<InvitationSummary | null> {
      if (!isUuid(id)) return null;
      const [row] = await pool<InvitationSummary[]>`
        select i.id, i.email, i.role, i.status, i.expires_at as "expiresAt", t.id as "tenantId", t.slug as "tenantSlug", t.name as "tenantName"
        from invitations i join tenants t on t.id = i.tenant_id where i.id = ${id}`;
      return row ? { ...row, expiresAt: asDate(row.expiresAt) } : null;
    },
    async close(): Promise<void> {
      await pool.end({ timeout: 5 });
    },
  };
}

export type Auth = ReturnType<typeof createAuth>;

export interface PendingInvitation {
  email: string;
  role: TenantRole;
  expiresAt: Date;
  createdAt: Date;
  /** The address of whoever sent it. */
  invitedBy: string | null;
}

export interface InvitationSummary {
  id: string;
  email: string;
  role: TenantRole;
  status: 'pending' | 'accepted' | 'rejected' | 'canceled';
  expiresAt: Date;
  tenantId: string;
  tenantSlug: string;
  tenantName: string;
}
