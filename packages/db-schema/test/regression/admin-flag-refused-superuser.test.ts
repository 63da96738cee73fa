// Regression (issue 21): the users admin-flag trigger compared current_user with the table's
// owner by name, so a superuser could not insert a platform admin either; db:distribute (run as
// one) failed copying users into the reference table. The owner and superusers pass; the auth
// role is refused as before.
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../src/testing/index';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

describe('who may make a platform admin', () => {
  it('a superuser and the owner may; the auth role may not', async () => {
    for (const [url, email] of [
      [database.urls.migrate, 'su@flag.test'],
      [database.urls.owner, 'owner@flag.test'],
    ] as const) {
      const sql = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await sql`insert into users (name, email, is_platform_admin) values ('x', ${email}, true)`;
      } finally {
        await sql.end();
      }
    }
    const auth = postgres(database.urls.auth, { max: 1, onnotice: () => {} });
    try {
      await expect(auth`insert into users (name, email, is_platform_admin) values ('x', 'auth@flag.test', true)`).rejects.toThrow(
        /only the owner role may make a platform admin/,
      );
    } finally {
      await auth.end();
    }
  });
});
