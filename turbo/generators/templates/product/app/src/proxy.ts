import type { NextRequest } from 'next/server';
import { proxy as resolveTenant } from '~/product';

/** Resolves the tenant once per request and strips client-sent x-tenant-* headers (C6): src/app.ts. */
export function proxy(request: NextRequest) {
  return resolveTenant(request);
}

export const config = {
  // Everything but Next's own static files.
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
