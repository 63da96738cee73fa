/**
 * No upstream issue found for reserve(). Queries queued on a reserved connection (behind one that
 * filled its pipeline) were never sent and never settled when the connection closed: onclose()
 * dropped the reservation without failing its queue. patches/postgres@3.4.9.patch fails them
 * with CONNECTION_CLOSED. (The same symptom for sql.begin()'s own queue, porsager/postgres#1186,
 * is not fixed by the patch.) Drop the fix (and keep this test) when upstream releases one.
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

describe('a reserved connection closed with queries queued behind it', () => {
  it('fails the queued queries', async () => {
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const conn = await sql.reserve();
      const pid = (await conn<{ pid: number }[]>`select pg_backend_pid() as pid`)[0]!.pid;
      // A statement with a parameter is described first: the connection counts as full until it
      // answers, so the next query waits in the reservation's own queue, unsent.
      const slow = conn`select pg_sleep(${30})`.then(
        () => 'answered',
        (e: { code?: string }) => e.code,
      );
      const queued = conn`select 1`.then(
        () => 'answered',
        (e: { code?: string }) => e.code,
      );
      await admin`select pg_terminate_backend(${pid})`;
      expect(['57P01', 'CONNECTION_CLOSED']).toContain(await slow);
      // Unpatched: never settles (5 s is only the bound for reporting it).
      expect(await settledWithin(queued, 5000)).toBe('CONNECTION_CLOSED');
      conn.release();
      const [row] = await sql<{ one: number }[]>`select 1 as one`;
      expect(row!.one).toBe(1);
    } finally {
      await sql.end({ timeout: 1 });
    }
  });
});
