import type { ReactNode } from 'react';
import { pageContext } from '~/product';

/**
 * The gate of the list page, above its loading.tsx: a loading state streams the page, and a
 * refusal thrown after the first byte (a 404 for a non-member, a 403 for a suspended workspace,
 * the redirect to sign-in) could no longer set the status. Checked here, it still does; the page
 * declares the same need for itself (C14).
 */
export default async function HomeGate({ children }: { children: ReactNode }) {
  await pageContext('lessons:read', '/');
  return children;
}
