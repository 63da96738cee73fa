/**
 * Refusals the proxy gives before anything else looks at a request (C6), as `{ status, code,
 * message }` for `refusal()`; null lets the request through.
 *
 * - More than one Host (a comma-joined value: see hardenNodeServer()): 400. The resolver must
 *   never choose between two tenants a request names.
 * - A server action posted from another origin: 403. Next refuses it too, but with a 500 (and a
 *   stack-trace log line); this is the same check (the Origin's host against X-Forwarded-Host,
 *   else Host, as Next compares them) answered as what it is. Requests without an Origin pass, as
 *   in Next: a browser always sends one with a POST, and a script without cookies forges nothing.
 */
export interface RequestGuardOptions {
  /** Hosts (`host[:port]`) besides the request's own that may post server actions, as Next's `serverActions.allowedOrigins`. */
  allowedOrigins?: readonly string[];
}

export interface RequestRefusal {
  status: 400 | 403;
  code: string;
  message: string;
}

/** A POST that Next would run as a server action: its fetch form (Next-Action) or a form post without JavaScript (multipart). */
function isServerActionPost(request: Request): boolean {
  if (request.method !== 'POST') return false;
  if (request.headers.has('next-action')) return true;
  return (request.headers.get('content-type') ?? '').toLowerCase().startsWith('multipart/form-data');
}

function hostOfOrigin(origin: string): string {
  if (origin === 'null') return 'null';
  try {
    return new URL(origin).host;
  } catch {
    return '';
  }
}

export function unsafeRequest(request: Request, options: RequestGuardOptions = {}): RequestRefusal | null {
  const host = request.headers.get('host');
  if (host !== null && host.includes(',')) {
    return { status: 400, code: 'HOST_DUPLICATE', message: 'The request names more than one Host: send exactly one.' };
  }
  if (isServerActionPost(request)) {
    const origin = request.headers.get('origin');
    if (origin !== null) {
      const forwarded = request.headers.get('x-forwarded-host')?.split(',')[0]?.trim();
      const own = forwarded || host || new URL(request.url).host;
      const from = hostOfOrigin(origin);
      if (from !== own && !(options.allowedOrigins ?? []).includes(from)) {
        return { status: 403, code: 'CROSS_ORIGIN_ACTION', message: 'This form was posted from another site; nothing was done. Reload the page and try again.' };
      }
    }
  }
  return null;
}
