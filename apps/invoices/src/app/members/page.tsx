import { can } from '@studio/tenancy/request';
import { formatDate } from '@studio/ui/format';
import { Shell } from '~/components/nav';
import { requestLocale } from '~/lib/locale';
import { getAuth, pageContext } from '~/product';
import { InviteForm } from './invite-form';
import { PendingInvitations } from './pending-invitations';

export const metadata = { title: 'Members' };

export const dynamic = 'force-dynamic';

export default async function Members() {
  const ctx = await pageContext('members:read', '/members');
  const [members, locale] = await Promise.all([getAuth().membersOf(ctx.tenant.id), requestLocale(ctx.tenant)]);
  return (
    <Shell ctx={ctx}>
      <h1>Members</h1>
      <ul data-testid="members">
        {members.map((m) => (
          <li key={m.userId}>
            {m.name} &lt;{m.email}&gt; — {m.role}
          </li>
        ))}
      </ul>
      {can(ctx, 'members:invite') && (
        <>
          <h2>Invite someone</h2>
          <InviteForm />
          <h2>Pending invitations</h2>
          {/* Only those who manage members see them: an invitation is a way in (issue 19). */}
          <PendingInvitations
            invitations={(await getAuth().pendingInvitations(ctx.tenant.id)).map((i) => ({ email: i.email, role: i.role, invitedBy: i.invitedBy, expiresAt: i.expiresAt.toISOString(), expiresOn: formatDate(i.expiresAt.toISOString().slice(0, 10), locale) }))}
          />
        </>
      )}
    </Shell>
  );
}
