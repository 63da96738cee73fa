/**
 * porsager/postgres#1066, #1154: a query handed to a connection whose socket is gone was written
 * to `null` in a setImmediate, outside any promise: an uncaught TypeError that crashes the
 * process, and the query never settles. Here: a transaction whose backend was killed goes on
 * with another statement. patches/postgres@3.4.9.patch fails such a query at once
 * (CONNECTION_CLOSED). Drop the fix (and keep this test) when upstream releases one.
 */
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';

const url = inject('pgServerUrl');
let admin: postgres.Sql;
const uncaught: unknown[] = [];
let onUncaughtSettle: ((message: string) => void) | undefined;
const onUncaught = (error: unknown) => {
  uncaught.push(error);
  onUncaughtSettle?.(`uncaught: ${String(error)}`);
};

beforeAll(() => {
  admin = postgres(url, { max: 1, onnotice: () => {} });
  process.on('uncaughtException', onUncaught);
});
afterAll(async () => {
  process.off('uncaughtException', onUncaught);
  await admin.end();
});
afterEach(() => {
  uncaught.length = 0;
  onUncaughtSettle = undefined;
});

describe('a statement on a transaction whose connection was killed', () => {
  it('fails with CONNECTION_CLOSED instead of writing to a null socket', async () => {
    let onclose!: () => void;
    const closed = new Promise<void>((resolve) => (onclose = resolve));
    const sql = postgres(url, { max: 1, onnotice: () => {}, onclose: () => onclose() });
    try {
      let settleAfter!: (outcome: string | undefined) => void;
      const after = new Promise<string | undefined>((resolve) => {
        settleAfter = resolve;
        onUncaughtSettle = resolve;
      });
      const outcome = await sql
        .begin(async (tx) => {
          const pid = (await tx<{ pid: number }[]>`select pg_backend_pid() as pid`)[0]!.pid;
          await admin`select pg_terminate_backend(${pid})`;
          await closed;
          // The transaction's callback goes on (a library's cleanup, a catch block).
          settleAfter(
            await tx`select 1`.then(
              () => 'answered',
              (e: { code?: string }) => e.code,
            ),
          );
        })
        .then(
          () => 'committed',
          (e: { code?: string }) => e.code,
        );
      expect(outcome).not.toBe('committed');
      // Settled, as a connection error (unpatched: an uncaught TypeError, and it never settles).
      expect(await after).toBe('CONNECTION_CLOSED');
      expect(uncaught).toEqual([]);
      // The pool reconnects for the next query (the failed statement did not strand the
      // connection outside `closed`, where it would never reconnect).
      const [row] = await sql<{ one: number }[]>`select 1 as one`;
      expect(row!.one).toBe(1);
    } finally {
      await sql.end({ timeout: 1 });
    }
  });
});
