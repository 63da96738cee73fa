/**
 * Issue 19: a request with two Host headers was accepted, and the first one won. Node keeps only
 * the first Host it reads, so Next never sees the second: hardenNodeServer() (each app's
 * instrumentation.ts) joins them, and the proxy refuses a Host with a comma with a 400.
 */
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAddress } from '../../src/request/index';
import { guardRequest, hardenNodeServer } from '../../src/next';

let server: http.Server;
let port: number;

beforeAll(async () => {
  await hardenNodeServer();
  // What the app sees of a request, as Next builds it from Node's request.
  server = http.createServer((req, res) => res.end(JSON.stringify({ host: req.headers.host, forwardedFor: req.headers['x-forwarded-for'] })));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as net.AddressInfo).port;
});

afterAll(() => {
  server?.close();
});

/** A raw HTTP/1.1 request, header lines as given (fetch cannot send a header twice). */
async function raw(lines: string[]): Promise<{ host?: string; forwardedFor?: string }> {
  const socket = net.connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.end(`GET / HTTP/1.1\r\n${lines.join('\r\n')}\r\nConnection: close\r\n\r\n`);
  let answer = '';
  for await (const chunk of socket) answer += String(chunk);
  return JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { host?: string; forwardedFor?: string };
}

describe('two Host headers', () => {
  it('reach the proxy joined, as one value with a comma', async () => {
    const seen = await raw(['Host: acme.localhost:3001', 'Host: globex.localhost:3001']);
    expect(seen.host).toBe('acme.localhost:3001, globex.localhost:3001');
  });

  it('are refused by the proxy with a 400, before any tenant is resolved', async () => {
    const request = new NextRequest('http://acme.localhost:3001/', { headers: { host: 'acme.localhost:3001, globex.localhost:3001', accept: 'application/json' } });
    const response = guardRequest(request)!;
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'HOST_DUPLICATE' } });
    expect(guardRequest(new NextRequest('http://acme.localhost:3001/', { headers: { host: 'acme.localhost:3001' } }))).toBeNull();
  });

  it('one Host passes unchanged', async () => {
    expect((await raw(['Host: acme.localhost:3001'])).host).toBe('acme.localhost:3001');
  });
});

describe('the client address per-client limits key on', () => {
  it('is the socket peer, appended after whatever the client sent in X-Forwarded-For', async () => {
    const seen = await raw(['Host: acme.localhost:3001', 'X-Forwarded-For: 203.0.113.9']);
    expect(seen.forwardedFor).toBe('203.0.113.9, 127.0.0.1');
    const headers = new Headers({ 'x-forwarded-for': seen.forwardedFor! });
    // No proxy in front: the forged entry is ignored.
    expect(clientAddress(headers)).toBe('127.0.0.1');
    // One proxy in front (which appended what it saw, 203.0.113.9): that one.
    expect(clientAddress(headers, 1)).toBe('203.0.113.9');
  });

  it('reads IPv4-mapped addresses as IPv4 and keys IPv6 by its /64', () => {
    expect(clientAddress(new Headers({ 'x-forwarded-for': '::ffff:198.51.100.7' }))).toBe('198.51.100.7');
    expect(clientAddress(new Headers({ 'x-forwarded-for': '2001:db8:1:2:aaaa::1' }))).toBe('2001:db8:1:2::/64');
    expect(clientAddress(new Headers({ 'x-forwarded-for': '2001:db8:1:2:bbbb::9' }))).toBe('2001:db8:1:2::/64');
    expect(clientAddress(new Headers({ 'x-forwarded-for': 'not-an-address' }))).toBeNull();
    expect(clientAddress(new Headers())).toBeNull();
    expect(clientAddress(new Headers({ 'x-forwarded-for': '192.0.2.1' }), 1)).toBeNull();
  });
});
