import { listApiTokens } from '@studio/auth';
import { Badge, Card, EmptyState, PageHeader, StatusBadge, Table } from '@studio/ui/components';
import { formatDateTime } from '@studio/ui/format';
import { Shell } from '~/components/nav';
import { requestLocale } from '~/lib/locale';
import { permissions } from '~/permissions';
import { getAuth, pageContext } from '~/product';
import { CreateTokenForm, RevokeToken, type ScopeChoice } from './token-forms';

export const metadata = { title: 'API tokens' };

export const dynamic = 'force-dynamic';

/** What each API scope lets a token do, in words. */
const SCOPES: Record<string, Omit<ScopeChoice, 'scope'>> = {
  'invoices:read': { label: 'Read invoices', description: 'List and read invoices (GET /api/v1/invoices).' },
  'invoices:write': { label: 'Write invoices', description: 'Create invoices (POST /api/v1/invoices).' },
  'exports:run': { label: 'Run exports', description: 'Start an export of the whole workspace.' },
  'exports:read': { label: 'Read exports', description: 'Follow and download exports.' },
};

/**
 * The workspace's API tokens (owners and admins): make one with the scopes it needs (its secret
 * shown once), see who made each and when it was last used, revoke it. Tokens open the JSON API
 * only (C14); one stops working while its maker may no longer make tokens.
 */
export default async function Tokens() {
  const ctx = await pageContext('tokens:manage', '/tokens');
  const [tokens, members, locale] = await Promise.all([listApiTokens(ctx.db), getAuth().membersOf(ctx.tenant.id), requestLocale(ctx.tenant)]);
  const people = new Map(members.map((m) => [m.userId, m]));
  const grantable = permissions.grantable(permissions.tokenScopes, ctx.membership!.role);
  const when = (at: Date | null) => (at ? <time dateTime={at.toISOString()}>{formatDateTime(at, locale)}</time> : <span className="text-muted">Never</span>);
  return (
    <Shell ctx={ctx}>
      <PageHeader title="API tokens" description="Let a program use this workspace's JSON API. Tokens do not expire: revoke one you no longer need." />
      <Card title="New token" className="mb-8">
        <CreateTokenForm scopes={grantable.map((scope) => ({ scope, ...(SCOPES[scope] ?? { label: scope, description: '' }) }))} />
      </Card>
      <section aria-labelledby="tokens-heading">
        <h2 id="tokens-heading" className="mt-0">
          Tokens
        </h2>
        <Table
          caption="API tokens"
          data-testid="tokens"
          columns={[
            { key: 'name', header: 'Name' },
            { key: 'scopes', header: 'Scopes' },
            { key: 'maker', header: 'Made by' },
            { key: 'created', header: 'Created' },
            { key: 'used', header: 'Last used' },
            { key: 'status', header: 'Status' },
            { key: 'actions', header: <span className="sr-only">Actions</span>, label: 'Actions' },
          ]}
          rows={tokens.map((t) => {
            const maker = t.createdBy ? people.get(t.createdBy) : undefined;
            // A token works only while its maker may still make tokens (checked on every request).
            const orphaned = !maker || !permissions.has(maker.role, 'tokens:manage');
            const status = t.revokedAt ? 'revoked' : orphaned ? 'inactive' : 'active';
            return {
              key: t.id,
              'data-testid': `token-${t.name}`,
              cells: {
                name: (
                  <span>
                    <span className="font-medium">{t.name}</span>
                    <span className="block font-mono text-xs text-muted">{t.prefix}</span>
                  </span>
                ),
                scopes: (
                  <span className="flex flex-wrap gap-1">
                    {t.scopes.map((s) => (
                      <Badge key={s}>{s}</Badge>
                    ))}
                  </span>
                ),
                maker: maker ? maker.name : <span className="text-muted">a former member</span>,
                created: when(t.createdAt),
                used: <span data-testid="token-last-used">{when(t.lastUsedAt)}</span>,
                status: (
                  <span title={status === 'inactive' ? 'Its maker may no longer make tokens here: the API refuses it.' : undefined}>
                    <StatusBadge status={status === 'inactive' ? 'expired' : status} label={status} data-testid="token-status" />
                  </span>
                ),
                actions: t.revokedAt ? (
                  <span className="text-sm text-muted">Revoked {when(t.revokedAt)}</span>
                ) : (
                  <RevokeToken id={t.id} name={t.name} />
                ),
              },
            };
          })}
          empty={
            <EmptyState title="No API tokens yet" data-testid="no-tokens">
              Make one to let a program read or write invoices through the JSON API.
            </EmptyState>
          }
        />
      </section>
    </Shell>
  );
}
