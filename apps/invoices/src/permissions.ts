import { definePermissions } from '@studio/tenancy/request';

const member = ['customers:read', 'customers:write', 'invoices:read', 'invoices:write', 'members:read'] as const;
const admin = [...member, 'members:invite', 'members:manage', 'audit:read', 'exports:run', 'exports:read', 'tokens:manage'] as const;

/**
 * Who may do what in an invoices workspace (C14): the one place a role becomes permissions.
 * Pages, route handlers and server actions declare the permission they need in their first line
 * (`pageContext('invoices:write', ...)`, `getTenancy().route(...)`, `getTenancy().api(...)`);
 * the authorization matrix kit calls each of them as every kind of caller against this table.
 *
 * Exports hold the whole workspace (every member's address, the audit trail): owners and admins
 * only. API tokens carry the API's rights only, chosen when the token is made.
 */
export const permissions = definePermissions({
  roles: { member, admin, owner: admin },
  tokenScopes: ['invoices:read', 'invoices:write', 'exports:run', 'exports:read'],
  manageTokens: 'tokens:manage',
});

export type InvoicesPermission = (typeof permissions.all)[number];
