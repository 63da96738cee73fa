/**
 * No upstream issue found (a downstream report: LanternOps/breeze#3225). postgres.js batches small
 * writes behind a setImmediate; closed() cleared that timer without nulling it (nor the buffered
 * bytes). When a socket closed with a flush pending, write() never scheduled another: the next
 * socket's startup message sat behind the old socket's bytes and the connection hung until
 * connect_timeout, on every later attempt. patches/postgres@3.4.9.patch resets both in closed().
 * Drop the fix (and keep this test) when upstream releases one.
 */
import net from 'node:net';
import { once } from 'node:events';
import postgres from 'postgres';
import { describe, expect, inject, it } from 'vitest';

const url = new URL(inject('pgServerUrl'));

describe('a socket that closes while a write waits for its flush', () => {
  it('leaves nothing behind: the next connection starts up and answers', async () => {
    const sockets: net.Socket[] = [];
    // Our own sockets (postgres.js's `socket` option), to close one at a precise moment.
    const socket = async () => {
      const s = net.connect(Number(url.port || 5432), url.hostname);
      await once(s, 'connect');
      sockets.push(s);
      return s;
    };
    const sql = postgres(url.href, { max: 1, connect_timeout: 3, onnotice: () => {}, socket } as unknown as postgres.Options<Record<string, never>>);
    try {
      await sql`select 1`;
      // In a setImmediate callback: the query's bytes wait for a flush in the next loop turn,
      // and the destroyed socket's 'close' comes in this turn's close phase, before that flush.
      const first = await new Promise((resolve) =>
        setImmediate(() => {
          const query = sql`select 1`.execute();
          sockets.at(-1)!.destroy();
          query.then(
            () => 'answered',
            (e: { code?: string }) => e.code,
          ).then(resolve);
        }),
      );
      expect(first).toBe('CONNECTION_CLOSED');
      // Unpatched: CONNECT_TIMEOUT, here and on every later query of this connection.
      const second = await sql<{ one: number }[]>`select 1 as one`.then(
        (rows) => rows[0]!.one,
        (e: { code?: string }) => e.code,
      );
      expect(second).toBe(1);
      expect(sockets.length).toBe(2);
    } finally {
      await sql.end({ timeout: 1 });
    }
  });
});
