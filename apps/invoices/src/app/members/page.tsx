import { allowedChanges, hasTenantRole, listTenantMembers } from '@studio/auth';
import { can } from '@studio/tenancy/request';
import { Card, PageHeader, StatusBadge, Table } from '@studio/ui/components';
import { formatDate } from '@studio/ui/format';
import { headers } from 'next/headers';
import { Shell } from '~/components/nav';
import { requestLocale } from '~/lib/locale';
import { getAuth, pageContext } from '~/product';
import { InviteForm } from './invite-form';
import { MemberActions } from './member-actions';
import { PendingInvitations } from './pending-invitations';

export const metadata = { title: 'Members' };

export const dynamic = 'force-dynamic';

/**
 * The workspace's people: everyone sees who is here; those who manage members change roles,
 * remove people, invite and follow pending invitations. Every change is checked again on the
 * server (actions.ts, @studio/auth) with the caller's role as the server read it.
 */
export default async function Members() {
  const ctx = await pageContext('members:read', '/members');
  const manages = can(ctx, 'members:manage');
  const invites = can(ctx, 'members:invite');
  const [members, locale, pending] = await Promise.all([
    listTenantMembers(getAuth(), await headers(), ctx.tenant.id),
    requestLocale(ctx.tenant),
    // Only those who manage members see them: an invitation is a way in (issue 19).
    invites ? getAuth().pendingInvitations(ctx.tenant.id) : Promise.resolve([]),
  ]);
  const me = ctx.membership!;
  return (
    <Shell ctx={ctx}>
      <PageHeader title="Members" description={`The people of ${ctx.tenant.name} and their roles: owners and admins manage members, tokens and exports; members work with customers and invoices.`} />
      <Table
        caption="Members"
        data-testid="members"
        columns={[
          { key: 'name', header: 'Name' },
          { key: 'email', header: 'Email' },
          { key: 'role', header: 'Role' },
          { key: 'joined', header: 'Joined' },
          ...(manages ? [{ key: 'actions' as const, header: <span className="sr-only">Actions</span>, label: 'Actions' }] : []),
        ]}
        rows={members.map((m) => {
          const allowed = manages ? allowedChanges(me, m, members) : { roles: [], remove: false };
          return {
            key: m.id,
            'data-testid': `member-${m.email}`,
            cells: {
              name: (
                <span className="font-medium">
                  {m.name}
                  {m.userId === me.userId && <span className="text-muted font-normal"> (you)</span>}
                </span>
              ),
              email: <span className="[overflow-wrap:anywhere]">{m.email}</span>,
              role: <StatusBadge status={m.role} data-testid="member-role" />,
              joined: <time dateTime={m.joinedAt.toISOString()}>{formatDate(m.joinedAt.toISOString().slice(0, 10), locale)}</time>,
              actions:
              allowed.roles.length > 0 || allowed.remove ? (
                <MemberActions memberId={m.id} name={m.name} role={m.role} roles={allowed.roles} remove={allowed.remove} />
              ) : (
                <span className="text-sm text-muted">{m.userId === me.userId ? '—' : 'Only an owner can change an owner'}</span>
              ),
            },
          };
        })}
          />
      {invites && (
        <div className="mt-8 grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
          <section aria-labelledby="pending-heading" className="min-w-0">
            <h2 id="pending-heading" className="mt-0">
              Pending invitations
            </h2>
            <PendingInvitations
              invitations={pending.map((i) => ({ email: i.email, role: i.role, invitedBy: i.invitedBy, expiresAt: i.expiresAt.toISOString(), expiresOn: formatDate(i.expiresAt.toISOString().slice(0, 10), locale) }))}
            />
          </section>
          <Card title="Invite someone" className="min-w-0 self-start">
            <InviteForm roles={hasTenantRole(me, 'owner') ? ['member', 'admin', 'owner'] : ['member', 'admin']} />
          </Card>
        </div>
      )}
    </Shell>
  );
}
