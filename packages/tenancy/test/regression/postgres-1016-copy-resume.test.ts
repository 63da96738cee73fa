/**
 * porsager/postgres#499, fixed by the unmerged PR #1016: a COPY ... TO STDOUT whose last CopyData
 * filled the stream in the same packet as CopyDone left the socket paused, and the next query on
 * that connection never answered. patches/postgres@3.4.9.patch resumes the socket at CopyDone;
 * this test hangs (and times out) without it. Drop the fix (and keep this test) when upstream
 * releases one. (Moved here from test/copy-stream.test.ts.)
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
