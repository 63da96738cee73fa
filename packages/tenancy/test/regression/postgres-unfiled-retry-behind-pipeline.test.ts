/**
 * No upstream issue found (the nearest, porsager/postgres PR #1212, avoids naming COMMIT instead).
 * postgres.js re-sends a named statement that failed with "prepared statement does not exist"
 * (a pooler's other server connection, DEALLOCATE) by appending it to the pipeline: after the
 * COMMIT already sent behind it, outside its transaction. patches/postgres@3.4.9.patch retries
 * only when nothing was sent behind it; otherwise the error surfaces and the transaction rolls
 * back. Drop the fix (and keep this test) when upstream releases one. (Moved here from
 * test/copy-stream.test.ts.)
 */
import { createTestDatabase, type TestDatabase } from '@studio/db-schema/testing';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
}, 60_000);
afterAll(async () => {
  await db?.drop();
});

describe('a pipelined prepared statement whose name the server lost', () => {
  it('fails inside its transaction instead of running after the COMMIT', async () => {
    const sql = postgres(db.urls.owner, { max: 1, onnotice: () => {} });
    try {
      const conn = await sql.reserve();
      try {
        const read = () => conn<{ v: string | null }[]>`select current_setting('test.v', true) as v`;
        await read(); // now a named statement on this connection
        await conn.unsafe('deallocate all', [], { prepare: false });
        const [, , inside, commit] = await Promise.allSettled([
          conn.unsafe('begin', [], { prepare: false }),
          conn.unsafe(`select set_config('test.v', 'in', true)`, [], { prepare: false }),
          read(),
          conn.unsafe('commit', [], { prepare: false }),
        ]);
        // Ran inside its transaction (saw 'in'), or failed there: never a quiet answer from outside.
        if (inside.status === 'fulfilled') expect(inside.value[0]!.v).toBe('in');
        else expect((inside.reason as { code?: string }).code).toBe('26000');
        expect(commit.status).toBe('fulfilled');
        // And the connection is usable, outside any transaction.
        const [after] = await read();
        expect(after!.v ?? '').toBe('');
      } finally {
        conn.release();
      }
    } finally {
      await sql.end({ timeout: 5 });
    }
  });
});
