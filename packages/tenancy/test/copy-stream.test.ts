import { createTestDatabase, type TestDatabase } from '@studio/db-schema/testing';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Export and import stream COPY through postgres.js. Unpatched 3.4.9 leaves the socket paused
// when a COPY's last CopyData filled the stream in the same packet as CopyDone, and the next
// query on that connection never answers (porsager/postgres#917). patches/postgres@3.4.9.patch
// resumes the socket; this test hangs (and times out) without it.
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
}, 60_000);
afterAll(async () => {
  await db?.drop();
});

describe('COPY ... TO STDOUT through postgres.js', () => {
  it('leaves the connection usable after a slowly read stream, again and again', async () => {
    const sql = postgres(db.urls.owner, { max: 1, onnotice: () => {} });
    try {
      for (let i = 0; i < 60; i++) {
        const rows = 500 + ((i * 397) % 2500);
        const counted = await sql.begin(async (tx) => {
          const stream = await tx.unsafe(`copy (select repeat('x', ${10 + (i % 90)}) || g from generate_series(1, ${rows}) g) to stdout`).readable();
          let lines = 0;
          for await (const chunk of stream) {
            lines += (chunk as Buffer).toString('utf8').split('\n').length - 1;
            await new Promise((resolve) => setImmediate(resolve)); // a consumer slower than the socket
          }
          const [after] = await tx<{ one: number }[]>`select 1 as one`;
          expect(after!.one).toBe(1);
          return lines;
        });
        expect(counted).toBe(rows);
      }
    } finally {
      await sql.end({ timeout: 5 });
    }
  }, 30_000);
});

describe('a pipelined prepared statement whose name the server lost', () => {
  // postgres.js re-sends a named statement that failed with "prepared statement does not exist"
  // (a pooler's other server connection, DEALLOCATE) by appending it to the pipeline: after the
  // COMMIT already sent behind it, outside its transaction. Patched: with queries behind it, the
  // error surfaces and the transaction rolls back.
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
