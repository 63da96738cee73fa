import type { NextRequest } from 'next/server';
import { getTenancy } from '~/tenancy';

/** Resolves the tenant once per request and strips client-sent x-tenant-* headers (C6). */
export function proxy(request: NextRequest) {
  return getTenancy().proxy(request);
}

export const config = {
  // Everything but Next's own static files.
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
