// Every table of the platform and of the products. The schema lint reads this module: a table
// exported here must be declared with tenantTable or platformTable.
export { plans } from './plans';
export { tenants, tenantStatus, type TenantBranding } from './tenants';
export { users } from './users';
export { memberships, membershipRole } from './memberships';
export { sessions } from './sessions';
export { accounts } from './accounts';
export { verifications } from './verifications';
export { invitations, invitationStatus } from './invitations';
export { signupWaitlist } from './signup-waitlist';
export { customers } from './customers';
export { invoices, invoiceStatus } from './invoices';
export { invoiceLines } from './invoice-lines';
export { lessonPlans } from './lesson-plans';
export { auditEvents } from './audit-events';
export { apiTokens } from './api-tokens';
export { usageCounters } from './usage-counters';
export { platformEvents } from './platform-events';
export { tenantMoves } from './tenant-moves';
export { backfillRuns } from './backfill-runs';
export { breakGlassGrants } from './break-glass-grants';
