/**
 * porsager/postgres#1223: a backend killed under a query (57P01 from pg_terminate_backend, then
 * the socket closes) left its query and its FATAL on the connection; the reconnected socket's
 * first ReadyForQuery then failed the next, unrelated query with the old backend's error.
 * patches/postgres@3.4.9.patch clears them in connected(). Drop the fix (and keep this test)
 * when upstream releases one.
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

describe('a connection killed mid-query', () => {
  it("serves the next query on a new socket: the old backend's FATAL is not replayed", async () => {
    let onclose!: () => void;
    const closed = new Promise<void>((resolve) => (onclose = resolve));
    const sql = postgres(url, { max: 1, onnotice: () => {}, onclose: () => onclose() });
    try {
      const pid = (await sql<{ pid: number }[]>`select pg_backend_pid() as pid`)[0]!.pid;
      const slow = sql`select pg_sleep(30)`.then(
        () => 'answered',
        (e: { code?: string }) => e.code,
      );
      // Kill it while the query runs.
      for (let i = 0; i < 200; i++) {
        const [row] = await admin<{ active: boolean }[]>`
          select exists (select 1 from pg_stat_activity where pid = ${pid} and query like 'select pg_sleep%' and state = 'active') as active`;
        if (row!.active) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await admin`select pg_terminate_backend(${pid})`;
      expect(['57P01', 'CONNECTION_CLOSED']).toContain(await slow);
      await closed;
      const [row] = await sql<{ pid: number }[]>`select pg_backend_pid() as pid`;
      expect(row!.pid).not.toBe(pid);
    } finally {
      await sql.end({ timeout: 1 });
    }
  });
});
