export { createAuth, sessionDomainFor, type Auth, type AuthConfig, type InvitationSummary, type PendingInvitation } from './auth';
export { createDevMailer, type DevMailer, type MailMessage, type Mailer } from './mail';
export { authSecretFromEnv } from './env';
export { ApiTokenInputError, createApiToken, listApiTokens, revokeApiToken, verifyApiToken, type ApiTokenSummary, type CreatedApiToken } from './tokens';
// The authorization helpers live with the request context; products import them from here.
export { hasTenantRole, requirePlatformAdmin, requireTenantRole, type Membership, type RequestSession, type TenantRole } from '@studio/tenancy/request';
export { DEMO_PASSWORD, seedDemoCredentials } from './demo';
export { allowedChanges, changeMemberRole, listTenantMembers, MemberChangeError, removeTenantMember, TENANT_ROLES, type TenantMember } from './members';
