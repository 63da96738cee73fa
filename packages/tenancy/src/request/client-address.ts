import { isIP } from 'node:net';

/**
 * The address of the client, for per-client limits (sign-in attempts), from the one source a
 * client cannot forge: the right-hand end of X-Forwarded-For.
 *
 * Each proxy appends the address it received the connection from, so the entry `trustedProxies`
 * places from the right is the one the outermost of our proxies saw; everything left of it was
 * written by the client. With no proxy (trustedProxies 0) the last entry is the socket's own peer:
 * Next keeps a client-sent X-Forwarded-For as it is, so `hardenNodeServer()` (instrumentation.ts)
 * appends the peer address to every request. Better Auth's own limiter reads the *first* entry,
 * which any client may set; we never do.
 *
 * IPv6 addresses are keyed by their /64, which one subscriber usually holds whole. Null when there
 * is no such entry or it is not an IP address.
 */
export function clientAddress(headers: Headers, trustedProxies = 0): string | null {
  const entries = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const entry = entries[entries.length - 1 - trustedProxies];
  if (!entry) return null;
  const address = entry.replace(/^\[(.*)\](:\d+)?$/, '$1').replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
  const version = isIP(address);
  if (version === 4) return address;
  if (version !== 6) return null;
  return `${expandIpv6(address).slice(0, 4).join(':')}::/64`;
}

function expandIpv6(address: string): string[] {
  const [head, tail] = address.toLowerCase().split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((g) => g.replace(/^0+(?=.)/, ''));
}
