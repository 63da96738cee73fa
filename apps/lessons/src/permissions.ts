import { definePermissions } from '@studio/tenancy/request';

const member = ['lessons:read', 'lessons:write', 'members:read'] as const;
const admin = [...member, 'lessons:edit-any', 'audit:read'] as const;

/**
 * Who may do what in a lessons workspace (C14), in one place. Every member reads the plans shared
 * with them and writes their own; `lessons:edit-any` changes or deletes a colleague's plan; the
 * audit trail is for owners and admins. This product has no JSON API, so no API token scopes:
 * a bearer token opens nothing here.
 */
export const permissions = definePermissions({
  roles: { member, admin, owner: admin },
});

export type LessonsPermission = (typeof permissions.all)[number];
