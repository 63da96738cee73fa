'use server';

import { changeMemberRole, hasTenantRole, removeTenantMember } from '@studio/auth';
import { TenancyError } from '@studio/tenancy';
import { revalidatePath } from 'next/cache';
import { headers } from 'next/headers';
import { getAuth, getMailer, pageContext } from '~/product';
import { env } from '~/env';

export interface InviteState {
  error?: string;
  /** In development there is no mail server: the link is shown to the inviter instead. */
  link?: string;
  email?: string;
}

export async function invite(_previous: InviteState, form: FormData): Promise<InviteState> {
  const ctx = await pageContext('members:invite', '/members');
  const email = String(form.get('email') ?? '').trim().toLowerCase();
  const asked = String(form.get('role') ?? 'member');
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return { error: 'Enter an email address.' };
  if (!['member', 'admin', 'owner'].includes(asked)) return { error: 'Choose a role: member, admin or owner.' };
  // Only owners invite owners (Better Auth checks it too, against the session's own membership).
  if (asked === 'owner' && !hasTenantRole(ctx.membership, 'owner')) return { error: 'Only an owner can invite an owner.' };
  const role = asked as 'member' | 'admin' | 'owner';
  try {
    await getAuth().auth.api.createInvitation({ headers: await headers(), body: { email, role, organizationId: ctx.tenant.id } });
  } catch (error) {
    return { error: error instanceof Error ? error.message : 'The invitation could not be sent.' };
  }
  const link = env.showDemoHints ? getMailer().lastTo(email)?.link : undefined;
  revalidatePath('/members');
  return { email, link };
}

export interface PendingState {
  error?: string;
  done?: string;
}

/** Sends a pending invitation again: the same link, a new expiry. By address: ids never reach a page (C16). */
export async function resendInvitation(_previous: PendingState, form: FormData): Promise<PendingState> {
  const ctx = await pageContext('members:invite', '/members');
  const email = String(form.get('email') ?? '');
  try {
    await getAuth().resendInvitation(await headers(), ctx.tenant.id, email);
  } catch (error) {
    return { error: error instanceof Error ? error.message : 'The invitation could not be sent again.' };
  }
  revalidatePath('/members');
  return { done: `Sent again to ${email}.` };
}

/** Revokes a pending invitation: its link stops working at once. */
export async function revokeInvitation(_previous: PendingState, form: FormData): Promise<PendingState> {
  const ctx = await pageContext('members:invite', '/members');
  const email = String(form.get('email') ?? '');
  try {
    await getAuth().revokeInvitation(await headers(), ctx.tenant.id, email);
  } catch (error) {
    return { error: error instanceof Error ? error.message : 'The invitation could not be revoked.' };
  }
  revalidatePath('/members');
  return { done: `Revoked the invitation to ${email}.` };
}


export interface MemberChangeState {
  ok?: string;
  error?: string;
}

/** The refusal of a member change, in words; anything else is a server error. */
function refusal(error: unknown): MemberChangeState {
  if (TenancyError.is(error)) return { error: error.message };
  throw error;
}

/**
 * Gives a member another role. The caller's role is the one the server read (ctx.membership), the
 * tenant the request's; @studio/auth checks the rules (only owners touch owners, the only owner
 * stays) and Better Auth checks them again against the session.
 */
export async function changeRole(_previous: MemberChangeState, form: FormData): Promise<MemberChangeState> {
  const ctx = await pageContext('members:manage', '/members');
  try {
    const { member, from, to } = await changeMemberRole(getAuth(), await headers(), ctx.membership!, String(form.get('memberId') ?? ''), String(form.get('role') ?? ''));
    revalidatePath('/members');
    return { ok: from === to ? `${member.name} is already ${to}.` : `${member.name} is now ${to === 'admin' ? 'an' : 'a'} ${to}.` };
  } catch (error) {
    return refusal(error);
  }
}

/** Removes a member from the workspace (never oneself, never the only owner). */
export async function removeMember(form: FormData): Promise<MemberChangeState> {
  const ctx = await pageContext('members:manage', '/members');
  try {
    const removed = await removeTenantMember(getAuth(), await headers(), ctx.membership!, String(form.get('memberId') ?? ''));
    revalidatePath('/members');
    return { ok: `${removed.name} was removed from ${ctx.tenant.name}.` };
  } catch (error) {
    return refusal(error);
  }
}
