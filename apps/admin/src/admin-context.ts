import 'server-only';
import { requirePlatformAdmin, TenantRequestError, type RequestSession } from '@studio/tenancy';
import { headers } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import { getAuth } from './auth';

/** The signed-in user, admin or not (null when nobody is). */
export async function currentSession(): Promise<RequestSession | null> {
  // headers() first: it marks the page dynamic before anything touches the database (a build has none).
  const requestHeaders = await headers();
  return getAuth().identity.session(requestHeaders);
}

/**
 * Every page and action of the console starts here: nobody signed in goes to the sign-in page;
 * a signed-in user who is not a platform admin gets the 403 page (forbidden.tsx).
 */
export async function adminContext(path: string): Promise<RequestSession> {
  try {
    return requirePlatformAdmin(await currentSession());
  } catch (error) {
    if (!TenantRequestError.is(error)) throw error;
    if (error.status === 401) redirect(`/sign-in?next=${encodeURIComponent(path)}`);
    forbidden();
  }
}
