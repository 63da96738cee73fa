'use client';

import type { CSSProperties, ReactNode } from 'react';
import type { ThemeChoice } from '../components/theme';
import { UserMenu, WorkspaceSwitcher, type SwitcherWorkspace } from './menus';
import { NavLinks, type NavItem } from './nav-links';
import { Toaster } from './toasts';

export interface ShellUser {
  name: string;
  email: string;
}

/** A brand colour as given by a tenant, only if it is a plain hex colour (it goes into a style). */
function safeColour(colour: string | null | undefined): string | undefined {
  return colour && /^#[0-9a-f]{3,8}$/i.test(colour) ? colour : undefined;
}

/**
 * Every product page's frame: a skip link, the header (product, workspace switcher, user menu),
 * the sections with the current one marked, an optional banner (support access), the page, and
 * the toasts. An app passes what it knows; the page is `children`.
 */
export function AppShell({
  product,
  productHref = '/',
  workspace,
  brandColor,
  workspaces = [],
  user,
  theme = 'system',
  signOutThen = '/sign-in',
  nav = [],
  banner,
  actions,
  children,
}: {
  product: string;
  productHref?: string;
  /** The tenant's name; omitted on pages outside a workspace (the console, sign-in). */
  workspace?: string;
  /** The tenant's colour: a stripe at the top of the header, decoration only. */
  brandColor?: string | null;
  workspaces?: readonly SwitcherWorkspace[];
  user?: ShellUser | null;
  theme?: ThemeChoice;
  signOutThen?: string;
  nav?: readonly NavItem[];
  banner?: ReactNode;
  /** Extra controls in the header, before the user menu. */
  actions?: ReactNode;
  children: ReactNode;
}) {
  const brand = safeColour(brandColor);
  return (
    <div className="flex min-h-dvh flex-col bg-surface text-fg">
      <a
        href="#content"
        className="sr-only z-50 rounded-lg bg-accent px-3 py-2 text-accent-fg focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        Skip to content
      </a>
      <header className="border-t-4 border-b border-b-line border-t-brand bg-surface-2" style={brand ? ({ '--brand': brand } as CSSProperties) : undefined}>
        <div className="mx-auto flex min-h-14 w-full max-w-6xl items-center gap-2 px-4">
          <a href={productHref} className="shrink-0 font-bold text-fg no-underline" data-testid="product-name">
            {product}
          </a>
          {workspace && (
            <>
              <span aria-hidden="true" className="text-line-strong">
                /
              </span>
              <WorkspaceSwitcher current={workspace} workspaces={workspaces} />
            </>
          )}
          <div className="ms-auto flex items-center gap-2">
            {actions}
            {user && <UserMenu name={user.name} email={user.email} theme={theme} signOutThen={signOutThen} />}
          </div>
        </div>
        {nav.length > 0 && (
          <nav aria-label="Sections" className="mx-auto w-full max-w-6xl px-2 sm:px-4">
            <NavLinks items={nav} />
          </nav>
        )}
      </header>
      {banner}
      <main id="content" tabIndex={-1} className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 outline-none sm:py-8">
        {children}
      </main>
      <Toaster />
    </div>
  );
}

/** The frame of a page outside the product (sign-in, invitations, refusals): centred, narrow. */
export function CenteredShell({ product, children }: { product?: string; children: ReactNode }) {
  return (
    <div className="flex min-h-dvh flex-col items-center bg-surface-2 px-4 py-10 text-fg sm:py-16">
      {product && <div className="mb-6 text-lg font-bold">{product}</div>}
      <main id="content" className="w-full max-w-md rounded-2xl border border-line bg-surface p-6 shadow-sm sm:p-8">
        {children}
      </main>
    </div>
  );
}
