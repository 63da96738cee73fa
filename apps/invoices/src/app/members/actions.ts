'use server';

import { headers } from 'next/headers';
import { getAuth, getMailer } from '~/auth';
import { pageContext } from '~/page-context';

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
  const link = process.env.NODE_ENV !== 'production' ? getMailer().lastTo(email)?.link : undefined;
  return { email, link };
}
