'use client';

export { AcceptInvitationForm, ConfirmEmailForm, postAuth, ResetPasswordForm, SignInForm, SignOut, useAuthSubmit } from './auth-forms';
export { useHydrated } from './use-hydrated';
export { WorkspaceLanding, type DemoWorkspace } from './workspace-landing';
