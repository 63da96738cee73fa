'use client';

import { DropdownMenu } from 'radix-ui';
import { useState } from 'react';
import { postAuth } from '../auth-forms';
import { buttonClass } from '../components/button';
import { cx } from '../components/cx';
import type { ThemeChoice } from '../components/theme';
import { applyTheme } from './theme-choice';

const content = 'z-50 min-w-56 rounded-xl border border-line bg-surface p-1 text-sm text-fg shadow-lg';
const item =
  'flex min-h-9 cursor-pointer items-center gap-2 rounded-lg px-2.5 text-fg no-underline outline-none select-none data-[highlighted]:bg-surface-3 data-[highlighted]:text-fg';

export interface SwitcherWorkspace {
  id: string;
  name: string;
  /** Where it lives: its subdomain, or its path. */
  href: string;
}

/**
 * The workspace switcher: the current workspace's name, and the user's other workspaces. Each is
 * a plain link (a full load: another workspace is another tenant context, resolved afresh).
 */
export function WorkspaceSwitcher({ current, workspaces }: { current: string; workspaces: readonly SwitcherWorkspace[] }) {
  const others = workspaces.filter((w) => w.name !== current);
  if (others.length === 0) return <span className="truncate font-semibold" data-testid="nav-tenant">{current}</span>;
  return (
    <DropdownMenu.Root modal={false}>
      <DropdownMenu.Trigger className={buttonClass('ghost', 'sm', 'max-w-[60vw] px-2 font-semibold')} data-testid="workspace-switcher">
        <span className="truncate" data-testid="nav-tenant">
          {current}
        </span>
        <span aria-hidden="true">▾</span>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className={content} align="start" sideOffset={6}>
          <DropdownMenu.Label className="px-2.5 py-1.5 text-xs font-semibold text-muted">Switch workspace</DropdownMenu.Label>
          {others.map((w) => (
            <DropdownMenu.Item key={w.id} asChild className={item}>
              <a href={w.href} data-testid={`switch-${w.id}`}>
                {w.name}
              </a>
            </DropdownMenu.Item>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

/** The signed-in user's menu: who they are, the colour theme, and signing out. */
export function UserMenu({ name, email, theme, signOutThen }: { name: string; email: string; theme: ThemeChoice; signOutThen: string }) {
  const [choice, setChoice] = useState<ThemeChoice>(theme);
  const [problem, setProblem] = useState<string | null>(null);
  const initials = (name || email)
    .split(/[\s@.]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]!.toUpperCase())
    .join('');
  const signOut = async () => {
    const failure = await postAuth('/sign-out', {});
    if (failure) setProblem(failure);
    else window.location.assign(signOutThen);
  };
  return (
    <>
      {problem && (
        <span role="alert" className="text-sm">
          {problem}
        </span>
      )}
      <DropdownMenu.Root modal={false}>
        <DropdownMenu.Trigger className={buttonClass('ghost', 'sm', 'gap-2 px-1.5')} data-testid="user-menu">
          <span aria-hidden="true" className="inline-flex size-8 items-center justify-center rounded-full bg-accent-soft text-xs font-bold text-accent-soft-fg">
            {initials}
          </span>
          {/* The name is the button's name, read on a phone too (where only the initials show). */}
          <span className="sr-only max-w-40 truncate sm:not-sr-only">{name || email}</span>
          <span className="sr-only">, account menu</span>
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content className={content} align="end" sideOffset={6}>
            <div className="px-2.5 py-2">
              <div className="font-semibold">{name || email}</div>
              <div className="text-xs text-muted" data-testid="signed-in-email">
                {email}
              </div>
            </div>
            <DropdownMenu.Separator className="my-1 h-px bg-line" />
            <DropdownMenu.Label className="px-2.5 py-1 text-xs font-semibold text-muted">Theme</DropdownMenu.Label>
            <DropdownMenu.RadioGroup
              value={choice}
              onValueChange={(value) => {
                setChoice(value as ThemeChoice);
                applyTheme(value as ThemeChoice);
              }}
            >
              {(['system', 'light', 'dark'] as const).map((option) => (
                <DropdownMenu.RadioItem key={option} value={option} className={item} onSelect={(e) => e.preventDefault()}>
                  <span aria-hidden="true" className={cx('size-2 rounded-full', option === choice ? 'bg-accent' : 'bg-transparent')} />
                  {option === 'system' ? 'Same as device' : option === 'light' ? 'Light' : 'Dark'}
                </DropdownMenu.RadioItem>
              ))}
            </DropdownMenu.RadioGroup>
            <DropdownMenu.Separator className="my-1 h-px bg-line" />
            <DropdownMenu.Item className={item} onSelect={() => void signOut()} data-testid="menu-sign-out">
              Sign out
            </DropdownMenu.Item>
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
    </>
  );
}
