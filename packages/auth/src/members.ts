import { isUuid, TenancyError } from '@studio/tenancy';
import type { Membership, TenantRole } from '@studio/tenancy/request';
import type { Auth } from './auth';

/**
 * A tenant's members page: the people, role changes and removal. Every change goes through Better
 * Auth's organization endpoints as the signed-in caller (their session in `headers`), so its rules
 * apply (only owners touch owners; the only owner cannot leave), and checks the same rules here
 * first, with the caller's membership as the server read it (never a role the client sent), so a
 * refusal is a sentence for the page rather than the library's code. The tenant is always the
 * request's: a member id of another tenant is answered as an unknown one.
 */
export interface TenantMember {
  /** The membership's id: what a role change or a removal names. */
  id: string;
  userId: string;
  name: string;
  email: string;
  role: TenantRole;
  joinedAt: Date;
}

export const TENANT_ROLES: readonly TenantRole[] = ['member', 'admin', 'owner'];

const RANK: Record<TenantRole, number> = { member: 1, admin: 2, owner: 3 };

/** The top rank (roles are compared by rank, never by name: C7's lint). */
const owns = (role: TenantRole): boolean => RANK[role] === RANK.owner;

/** A change the rules refuse, or a member that is not there; `message` is for the page. */
export class MemberChangeError extends TenancyError {}

const refuse = (code: string, message: string) => new MemberChangeError(code, message);

/** Better Auth's refusal, as ours (its message, our code). */
/** The database refused to leave the workspace without an owner (migration 0026), anywhere in the error's causes. */
function lastOwnerGuard(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (code === '23514' && typeof message === 'string' && message.includes('studio_keep_an_owner')) return true;
  }
  return false;
}

function fromLibrary(error: unknown): never {
  if (TenancyError.is(error)) throw error;
  // Two owners stepped down (or removed each other) at the same moment: the second is refused.
  if (lastOwnerGuard(error)) throw refuse('MEMBER_CHANGE_REFUSED', 'The workspace would be left without an owner: another owner changed at the same moment. Reload the page.');
  const body = (error as { body?: { code?: unknown; message?: unknown } }).body;
  const status = (error as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    throw refuse(typeof body?.code === 'string' ? body.code : 'MEMBER_CHANGE_REFUSED', typeof body?.message === 'string' ? body.message : 'The change was refused.');
  }
  throw error;
}

/** The tenant's members, first to join first, as the signed-in caller of `headers` (a member of it) sees them. */
export async function listTenantMembers(auth: Auth, headers: Headers, tenantId: string): Promise<TenantMember[]> {
  if (!isUuid(tenantId)) return [];
  const answer = await auth.auth.api.listMembers({ headers, query: { organizationId: tenantId, limit: 1000 } }).catch(fromLibrary);
  return answer.members
    .filter((m) => m.organizationId === tenantId)
    .map((m) => ({ id: m.id, userId: m.userId, name: m.user.name, email: m.user.email, role: m.role as TenantRole, joinedAt: new Date(m.createdAt) }))
    .sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime());
}

/** What the caller may do to each member, for the page's buttons (the server checks again on each change). */
export function allowedChanges(actor: Membership, target: TenantMember, members: readonly TenantMember[]): { roles: TenantRole[]; remove: boolean } {
  const owners = members.filter((m) => owns(m.role)).length;
  const roles = TENANT_ROLES.filter((role) => role !== target.role && whyNot(actor, target, role, owners) === null);
  return { roles, remove: whyNotRemove(actor, target, owners) === null };
}

function whyNot(actor: Membership, target: TenantMember, role: TenantRole, owners: number): string | null {
  if (RANK[actor.role] < RANK.admin) return 'Only admins and owners change roles.';
  if ((owns(target.role) || owns(role)) && !owns(actor.role)) return 'Only an owner makes someone an owner or changes an owner’s role.';
  if (owns(target.role) && !owns(role) && owners <= 1) return `${target.name} is the only owner: make someone else an owner first.`;
  return null;
}

function whyNotRemove(actor: Membership, target: TenantMember, owners: number): string | null {
  if (RANK[actor.role] < RANK.admin) return 'Only admins and owners remove members.';
  if (target.userId === actor.userId) return 'You cannot remove yourself here: ask another admin or owner.';
  if (owns(target.role) && !owns(actor.role)) return 'Only an owner removes an owner.';
  if (owns(target.role) && owners <= 1) return `${target.name} is the only owner: make someone else an owner first.`;
  return null;
}

async function find(auth: Auth, headers: Headers, actor: Membership, memberId: string) {
  if (!isUuid(memberId)) throw refuse('MEMBER_NOT_FOUND', 'No such member here. Reload the page.');
  const members = await listTenantMembers(auth, headers, actor.tenantId);
  const target = members.find((m) => m.id === memberId);
  if (!target) throw refuse('MEMBER_NOT_FOUND', 'No such member here. Reload the page.');
  return { target, owners: members.filter((m) => owns(m.role)).length };
}

/**
 * Gives a member of the caller's tenant another role. `actor` is the caller's membership as the
 * request context read it; `headers` their request's (the session Better Auth checks again).
 */
export async function changeMemberRole(auth: Auth, headers: Headers, actor: Membership, memberId: string, role: string): Promise<{ member: TenantMember; from: TenantRole; to: TenantRole }> {
  if (!TENANT_ROLES.includes(role as TenantRole)) throw refuse('MEMBER_ROLE_INVALID', `A role is one of ${TENANT_ROLES.join(', ')}.`);
  const to = role as TenantRole;
  const { target, owners } = await find(auth, headers, actor, memberId);
  if (target.role === to) return { member: target, from: to, to };
  const reason = whyNot(actor, target, to, owners);
  if (reason) throw refuse('MEMBER_CHANGE_REFUSED', reason);
  await auth.auth.api.updateMemberRole({ headers, body: { memberId: target.id, role: to, organizationId: actor.tenantId } }).catch(fromLibrary);
  return { member: { ...target, role: to }, from: target.role, to };
}

/** Removes a member of the caller's tenant (not themselves; an owner only by another owner, never the last one). */
export async function removeTenantMember(auth: Auth, headers: Headers, actor: Membership, memberId: string): Promise<TenantMember> {
  const { target, owners } = await find(auth, headers, actor, memberId);
  const reason = whyNotRemove(actor, target, owners);
  if (reason) throw refuse('MEMBER_CHANGE_REFUSED', reason);
  await auth.auth.api.removeMember({ headers, body: { memberIdOrEmail: target.id, organizationId: actor.tenantId } }).catch(fromLibrary);
  return target;
}
