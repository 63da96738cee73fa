import { guardRequest } from '@studio/tenancy/next';
import { NextResponse, type NextRequest } from 'next/server';

/**
 * The console names no tenant, so it has no resolver; it still refuses what every proxy refuses
 * first: several Host headers (400) and a server action posted from another origin (403, where
 * Next itself answers 500).
 */
export function proxy(request: NextRequest) {
  return guardRequest(request) ?? NextResponse.next();
}

export const config = {
  // Everything but Next's own static files.
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
