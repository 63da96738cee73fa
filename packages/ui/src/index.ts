export { AcceptInvitationForm, postAuth, SignInForm, SignOut, useAuthSubmit } from './auth-forms';
export { useHydrated } from './use-hydrated';
