'use server';

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
  const role = form.get('role') === 'admin' ? 'admin' : 'member';
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return { error: 'Enter an email address.' };
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

