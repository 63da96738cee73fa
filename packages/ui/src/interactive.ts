'use client';

/** The design system's client parts (`@studio/ui/interactive`): the shell, menus, dialogs, toasts. */
export { AppShell, CenteredShell, type ShellUser } from './shell/app-shell';
export { ConfirmDialog } from './shell/confirm-dialog';
export { UserMenu, WorkspaceSwitcher, type SwitcherWorkspace } from './shell/menus';
export { currentHref, NavLinks, type NavItem } from './shell/nav-links';
export { SubmitButton } from './shell/submit-button';
export { ActionToast, toast, Toaster } from './shell/toasts';
