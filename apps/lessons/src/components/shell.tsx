import type { ReactNode } from 'react';
import { cookies } from 'next/headers';
import { themeChoice, THEME_COOKIE } from '@studio/ui/components';
import { AppShell } from '@studio/ui/interactive';
import { can, type TenantContext } from '@studio/tenancy/request';
import { tenantPath } from '~/paths';
import type { LessonsPermission } from '~/permissions';
import { getAuth } from '~/product';
import { SupportAccessBanner } from '~/support-access';

/** Each section with the permission its page declares: a member sees only what they may open. */
const links: readonly (readonly [string, string, LessonsPermission])[] = [
  ['/', 'Lesson plans', 'lessons:read'],
  ['/lessons/new', 'New lesson plan', 'lessons:write'],
  ['/audit', 'Audit trail', 'audit:read'],
];

/**
 * Every member page's frame (the design system's AppShell): the workspace and its switcher (the
 * user's other workspaces: one host serves them all, so each is a path, /t/<slug>, and the session
 * carries over), the sections this member may open, the user menu (theme, sign out to this
 * workspace's sign-in), and the support-access banner while a grant is open. The page passes its
 * context, so nothing is looked up twice.
 */
export async function Shell({ ctx, children }: { ctx: TenantContext; children: ReactNode }) {
  const [workspaces, jar] = await Promise.all([getAuth().tenantsOf(ctx.session!.userId), cookies()]);
  const slug = ctx.tenant.slug;
  return (
    <AppShell
      product="Lessons"
      productHref={tenantPath(slug)}
      workspace={ctx.tenant.name}
      brandColor={ctx.tenant.branding?.primaryColor}
      workspaces={workspaces.filter((t) => t.status !== 'suspended').map((t) => ({ id: t.slug, name: t.name, href: tenantPath(t.slug) }))}
      user={{ name: ctx.session!.name, email: ctx.session!.email }}
      theme={themeChoice(jar.get(THEME_COOKIE)?.value)}
      signOutThen={tenantPath(slug, '/sign-in')}
      nav={links.filter(([, , need]) => can(ctx, need)).map(([path, label]) => ({ href: tenantPath(slug, path), label }))}
      // While platform support has access, every member sees it on every page (issue 23 item 4).
      banner={<SupportAccessBanner ctx={ctx} auditHref={can(ctx, 'audit:read') ? tenantPath(slug, '/audit') : undefined} />}
    >
      {children}
    </AppShell>
  );
}
