import type { IncomingMessage } from 'node:http';

/**
 * What the Node HTTP server hides from Next, made visible to the proxy (C6). Call once from the
 * app's instrumentation.ts (Node runtime); later calls do nothing.
 *
 * - Several Host header lines: Node keeps the first and drops the rest, so the app would serve
 *   whichever tenant the first names while a proxy or cache in front may have used the last.
 *   They are joined into one comma-separated value (as Node's `joinDuplicateHeaders` would), and
 *   the proxy refuses any Host with a comma with a 400 (RFC 9112, 3.2).
 * - X-Forwarded-For: Next fills it from the socket only when the client sent none, so without a
 *   proxy in front the client chooses it. The socket's peer address is appended to every request,
 *   so the last entry is always one the client cannot forge (see clientAddress()).
 *
 * It wraps `emit('request')` of Node's HTTP(S) servers: the server Next starts is created before
 * instrumentation runs, and offers no other hook.
 */
const INSTALLED = Symbol.for('@studio/tenancy/hardenNodeServer');

export function prepareNodeRequest(req: IncomingMessage): void {
  const hosts = req.headersDistinct.host;
  if (hosts && hosts.length > 1) req.headers.host = hosts.join(', ');
  const peer = req.socket?.remoteAddress;
  if (peer) {
    const sent = req.headers['x-forwarded-for'];
    const before = Array.isArray(sent) ? sent.join(', ') : sent;
    req.headers['x-forwarded-for'] = before ? `${before}, ${peer}` : peer;
  }
}

export async function hardenNodeServer(): Promise<void> {
  const registry = globalThis as Record<symbol, unknown>;
  if (registry[INSTALLED]) return;
  registry[INSTALLED] = true;
  const [http, https] = await Promise.all([import('node:http'), import('node:https')]);
  for (const Server of [http.Server, https.Server]) {
    const proto = Server.prototype as unknown as { emit: (event: string | symbol, ...args: unknown[]) => boolean };
    const emit = proto.emit;
    proto.emit = function (this: unknown, event: string | symbol, ...args: unknown[]): boolean {
      if (event === 'request') prepareNodeRequest(args[0] as IncomingMessage);
      return emit.call(this, event, ...args);
    };
  }
}
