import * as schema from '@studio/db-schema/schema';
import { tryGetCurrentAuthEndpointContext } from '@better-auth/core/context';
import { audit, isUuid, reconnectBackoff, type AttemptLimitsOptions, type AuditEvent, type Database, type IdentityProvider, type Membership, type RequestSession, type TenantRole } from '@studio/tenancy';
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { organization } from 'better-auth/plugins/organization';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { hardening } from './hardening';
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
  /** Session lifetime in seconds (default 7 days). */
  sessionExpiresIn?: number;
  /** Reverse proxies in front of the app that append to X-Forwarded-For (trustedProxiesFromEnv()): per-client sign-in limits key on what they saw. */
  trustedProxies?: number;
  /** Where sign-in attempts are counted (in process by default; a Redis client when several processes serve the app). */
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
function requestActor(): string | null {
  const session = tryGetCurrentAuthEndpointContext()?.context.session as { user?: { id?: unknown } } | null | undefined;
  return typeof session?.user?.id === 'string' ? session.user.id : null;
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
    connection: { application_name: 'studio:auth' },
  });
  const orm = drizzle({ client: pool, schema });

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
        const signIn = request ? `${new URL(request.url).origin}/sign-in` : undefined;
        await config.mailer.send({
          to: user.email,
          subject: 'Someone tried to sign up with your address',
          text: `Somebody tried to create an account with ${user.email}, which already has one. If it was you, sign in${signIn ? ` at ${signIn}` : ''}; otherwise there is nothing to do.`,
          link: signIn,
        });
      },
    },
    disabledPaths: ['/organization/create', '/organization/update', '/organization/delete', '/organization/check-slug'],
    plugins: [
      organization({
        allowUserToCreateOrganization: false,
        disableOrganizationDeletion: true,
        creatorRole: 'owner',
        invitationExpiresIn: 60 * 60 * 24 * 7,
        cancelPendingInvitationsOnReInvite: true,
        schema: {
          organization: { modelName: 'tenants' },
          member: { modelName: 'memberships', fields: { organizationId: 'tenantId' } },
          invitation: { modelName: 'invitations', fields: { organizationId: 'tenantId' } },
          session: { fields: { activeOrganizationId: 'activeTenantId' } },
        },
        organizationHooks: {
          afterCreateInvitation: ({ invitation, inviter, organization: tenant }) =>
            auditAfter(tenant.id, inviter.id, {
              action: 'member.invite',
              target: invitation.id,
              payload: { email: invitation.email, role: invitation.role },
            }),
          afterAcceptInvitation: ({ invitation, member, user, organization: tenant }) =>
            auditAfter(tenant.id, user.id, { action: 'member.join', target: member.id, payload: { invitationId: invitation.id, role: member.role } }),
          afterRejectInvitation: ({ invitation, user, organization: tenant }) =>
            auditAfter(tenant.id, user.id, { action: 'invitation.reject', target: invitation.id }),
          afterCancelInvitation: ({ invitation, cancelledBy, organization: tenant }) =>
            auditAfter(tenant.id, cancelledBy.id, { action: 'invitation.cancel', target: invitation.id }),
          // These hooks name the member acted on; who acted is the session of the request.
          afterRemoveMember: ({ member, user, organization: tenant }) =>
            auditAfter(tenant.id, requestActor(), { action: 'member.remove', target: member.id, payload: { userId: user.id, email: user.email } }),
          afterUpdateMemberRole: ({ member, previousRole, user, organization: tenant }) =>
            auditAfter(tenant.id, requestActor(), {
              action: 'member.role_change',
              target: member.id,
              payload: { userId: user.id, from: previousRole, to: member.role },
            }),
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
      hardening({ trustedProxies: config.trustedProxies, attempts: config.signInAttempts }),
    ],
  });

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
    /** What an invitee sees before accepting: whose invitation, for which address. Null if unknown. */
    async invitation(id: string): Promise<InvitationSummary | null> {
      if (!isUuid(id)) return null;
      const [row] = await pool<InvitationSummary[]>`
        select i.id, i.email, i.role, i.status, i.expires_at as "expiresAt", t.id as "tenantId", t.slug as "tenantSlug", t.name as "tenantName"
        from invitations i join tenants t on t.id = i.tenant_id where i.id = ${id}`;
      return row ?? null;
    },
    async close(): Promise<void> {
      await pool.end({ timeout: 5 });
    },
  };
}

export type Auth = ReturnType<typeof createAuth>;

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
