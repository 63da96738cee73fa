import 'server-only';
import { requirePlatformAdmin, TenantRequestError, type RequestSession } from '@studio/tenancy/request';
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
 * What the console's entry points may need (C14): it has one right, platform staff
 * (`users.is_platform_admin`, C7); tenant roles and API tokens grant nothing here.
 */
export type ConsoleNeed = 'platform-admin';

/**
 * The first line of every page and action of the console: its need, and the path to come back
 * to. Nobody signed in goes to the sign-in page; a signed-in user who is not a platform admin
 * gets the 403 page (forbidden.tsx).
 */
export async function adminContext(_need: ConsoleNeed, path: string): Promise<RequestSession> {
  try {
    return requirePlatformAdmin(await currentSession());
  } catch (error) {
    if (!TenantRequestError.is(error)) throw error;
    if (error.status === 401) redirect(`/sign-in?next=${encodeURIComponent(path)}`);
    forbidden();
  }
}

/**
 * The same for a route handler: the session of a platform admin, or the answer to give instead
 * (303 to sign-in, coming back to `path`; 403 for anyone else).
 */
export async function adminRoute(_need: ConsoleNeed, request: Request, path: string): Promise<RequestSession | Response> {
  try {
    return requirePlatformAdmin(await currentSession());
  } catch (error) {
    if (!TenantRequestError.is(error)) throw error;
    if (error.status === 401) return Response.redirect(new URL(`/sign-in?next=${encodeURIComponent(path)}`, request.url), 303);
    return new Response('This console is for platform administrators.', { status: 403 });
  }
}
