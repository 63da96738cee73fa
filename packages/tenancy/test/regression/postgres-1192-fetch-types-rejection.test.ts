/**
 * porsager/postgres#1192 (also #1205, #279): a failing array-types query (fetch_types, the first
 * statement of every new connection) rejected a promise nothing awaited: an unhandled rejection,
 * which exits a Node process by default. patches/postgres@3.4.9.patch catches it: the error
 * reaches the connection's waiting query instead. Drop the fix (and keep this test) when
 * upstream releases one.
 */
import { createTestDatabase, type TestDatabase } from '@studio/db-schema/testing';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let db: TestDatabase;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  db = await createTestDatabase();
  // The types query reads pg_catalog.pg_type: refused to the product role in this database only.
  const su = postgres(db.urls.migrate, { max: 1, onnotice: () => {} });
  try {
    await su`revoke select on pg_catalog.pg_type from public`;
  } finally {
    await su.end();
  }
  process.on('unhandledRejection', onUnhandled);
}, 60_000);
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await db?.drop();
});

describe('a connection whose array-types query fails', () => {
  it('fails its first query with that error, and nothing is left unhandled', async () => {
    const sql = postgres(db.urls.app, { max: 1, onnotice: () => {} });
    try {
      const outcome = await sql`select 1`.then(
        () => 'answered',
        (e: { code?: string }) => e.code,
      );
      expect(outcome).toBe('42501');
      // An unhandled rejection is reported after the microtasks of its turn.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    } finally {
      await sql.end({ timeout: 1 });
    }
  });
});
