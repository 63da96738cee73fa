import Link from 'next/link';
import type { ReactNode } from 'react';
import { cookies } from 'next/headers';
import { buttonClass, themeChoice, THEME_COOKIE } from '@studio/ui/components';
import { AppShell } from '@studio/ui/interactive';
import { can, type TenantContext } from '@studio/tenancy/request';
import { tenantOrigin } from '~/env';
import { SupportAccessBanner } from '~/lib/support-access';
import type { InvoicesPermission } from '~/permissions';
import { getAuth } from '~/product';

/** Each section with the permission its page declares: a member sees only what they may open. */
const links: readonly (readonly [string, string, InvoicesPermission | null])[] = [
  ['/', 'Dashboard', null],
  ['/invoices', 'Invoices', 'invoices:read'],
  ['/customers', 'Customers', 'customers:read'],
  ['/members', 'Members', 'members:read'],
  ['/tokens', 'API tokens', 'tokens:manage'],
  ['/audit', 'Audit trail', 'audit:read'],
  ['/export', 'Export', 'exports:read'],
];

/**
 * Every member page's frame (the design system's AppShell): the workspace and its switcher (the
 * user's other workspaces, each on its own host), the sections this member may open, the user
 * menu (theme, sign out), and the support-access banner while a grant is open. The page passes
 * its context, so nothing is looked up twice.
 */
export async function Shell({ ctx, children }: { ctx: TenantContext; children: ReactNode }) {
  const [workspaces, jar] = await Promise.all([getAuth().tenantsOf(ctx.session!.userId), cookies()]);
  return (
    <AppShell
      product="Invoices"
      workspace={ctx.tenant.name}
      brandColor={ctx.tenant.branding?.primaryColor}
      workspaces={workspaces.filter((t) => t.status !== 'suspended').map((t) => ({ id: t.slug, name: t.name, href: tenantOrigin(t.slug) }))}
      user={{ name: ctx.session!.name, email: ctx.session!.email }}
      theme={themeChoice(jar.get(THEME_COOKIE)?.value)}
      signOutThen="/sign-in"
      nav={links.filter(([, , need]) => need === null || can(ctx, need as InvoicesPermission)).map(([href, label]) => ({ href, label }))}
      // While platform support has access, every member sees it on every page (issue 23 item 4).
      banner={<SupportAccessBanner ctx={ctx} auditHref={can(ctx, 'audit:read') ? '/audit' : undefined} />}
    >
      {children}
    </AppShell>
  );
}

/** "Next page" / "First page" links for a keyset-paginated list. */
export function Pager({ path, params, next }: { path: string; params: Record<string, string>; next: string | null }) {
  const href = (extra: Record<string, string>) => {
    const query = new URLSearchParams(Object.entries({ ...params, ...extra }).filter(([, v]) => v !== ''));
    const text = query.toString();
    return text ? `${path}?${text}` : path;
  };
  const first = params.after !== undefined && params.after !== '';
  if (!first && !next) return null;
  return (
    <nav aria-label="Pages" data-testid="pager" className="mt-4 flex flex-wrap gap-2">
      {first && (
        <Link href={href({ after: '' })} className={buttonClass('secondary', 'sm')}>
          « First page
        </Link>
      )}
      {next && (
        <Link href={href({ after: next })} data-testid="next-page" className={buttonClass('secondary', 'sm')}>
          Next page »
        </Link>
      )}
    </nav>
  );
}
