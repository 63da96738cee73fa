/**
 * No upstream issue found. A reserve() whose connection attempt failed was rejected but stayed
 * in the pool's waiting list: the next connection that opened was handed to that dead
 * reservation and never came back, so every later query and reserve() of the pool waited
 * forever. patches/postgres@3.4.9.patch removes a rejected reservation from the list. Drop the
 * fix (and keep this test) when upstream releases one.
 */
import net from 'node:net';
import { once } from 'node:events';
import postgres from 'postgres';
import { describe, expect, inject, it } from 'vitest';

const url = new URL(inject('pgServerUrl'));

const settledWithin = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<'still waiting'>((resolve) => setTimeout(() => resolve('still waiting'), ms).unref())]);

/** A port nothing listens on: a connection attempt there is refused. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('a reserve() whose connection attempt fails', () => {
  it('is forgotten: the next connection serves the pool', async () => {
    const refused = await closedPort();
    let attempts = 0;
    // The first connection attempt is refused, later ones reach the server.
    const socket = () => (attempts++ === 0 ? net.connect(refused, '127.0.0.1') : net.connect(Number(url.port || 5432), url.hostname));
    const sql = postgres(url.href, { max: 1, onnotice: () => {}, socket } as unknown as postgres.Options<Record<string, never>>);
    try {
      const failed = await sql.reserve().then(
        (conn) => (conn.release(), 'reserved'),
        (e: { code?: string }) => e.code,
      );
      expect(failed).toBe('ECONNREFUSED');
      // Unpatched: both wait forever (5 s is only the bound for reporting it).
      const one = await settledWithin(sql<{ one: number }[]>`select 1 as one`.then((rows) => rows[0]!.one), 5000);
      expect(one).toBe(1);
      const conn = await settledWithin(sql.reserve(), 5000);
      expect(conn).not.toBe('still waiting');
      (conn as postgres.ReservedSql).release();
      expect(attempts).toBeGreaterThanOrEqual(2);
    } finally {
      await sql.end({ timeout: 1 });
    }
  });
});
