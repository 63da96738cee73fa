/**
 * No upstream issue found (reported in the thread of porsager/postgres PR #1168). A reserved
 * connection the server closed went to the pool's `closed` list, but release() then put it in
 * `open` with no socket: the next query on the pool was written to a null socket (an uncaught
 * TypeError) or, with only a null check, failed or hung. patches/postgres@3.4.9.patch ties the
 * connection to its reservation: once closed, release() is a no-op and the handle's queries fail.
 * Drop the fix (and keep this test) when upstream releases one.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const url = inject('pgServerUrl');
let admin: postgres.Sql;
beforeAll(() => {
  admin = postgres(url, { max: 1, onnotice: () => {} });
});
afterAll(async () => {
  await admin.end();
});

const settledWithin = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<'still waiting'>((resolve) => setTimeout(() => resolve('still waiting'), ms).unref())]);

describe('release() of a reserved connection the server closed', () => {
  it('does not hand the dead connection to the next caller', async () => {
    let onclose!: () => void;
    const closed = new Promise<void>((resolve) => (onclose = resolve));
    const sql = postgres(url, { max: 1, onnotice: () => {}, onclose: () => onclose() });
    try {
      const conn = await sql.reserve();
      const pid = (await conn<{ pid: number }[]>`select pg_backend_pid() as pid`)[0]!.pid;
      await admin`select pg_terminate_backend(${pid})`;
      await closed;
      conn.release();
      // The old handle is dead: its queries fail instead of reaching the pool's connection.
      const stale = await conn`select 1`.then(
        () => 'answered',
        (e: { code?: string }) => e.code,
      );
      expect(stale).toBe('CONNECTION_CLOSED');
      // The pool reconnects, for a query and for a new reservation.
      const next = await settledWithin(
        sql<{ pid: number }[]>`select pg_backend_pid() as pid`.then(
          (rows) => rows[0]!.pid,
          (e: { code?: string }) => e.code,
        ),
        5000,
      );
      expect(typeof next).toBe('number');
      expect(next).not.toBe(pid);
      const again = await settledWithin(sql.reserve(), 5000);
      expect(again).not.toBe('still waiting');
      const [row] = await (again as postgres.ReservedSql)<{ one: number }[]>`select 1 as one`;
      expect(row!.one).toBe(1);
      (again as postgres.ReservedSql).release();
    } finally {
      await sql.end({ timeout: 1 });
    }
  });
});
