import { createTestDatabase, type TestDatabase } from '@studio/db-schema/testing';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, UnsafeDatabaseRoleError, type EnforcementMode } from '../src/index';
import { seededDatabase, type SeededDatabase } from './helpers';

let seeded: SeededDatabase;
beforeAll(async () => {
  seeded = await seededDatabase();
});
afterAll(async () => {
  await seeded?.close();
});

async function attempt(url: string, mode: EnforcementMode): Promise<unknown> {
  const db = createDatabase({ url, mode, poolSize: 1, backgroundPoolSize: 1 });
  try {
    // Both the explicit boot check and the first tenant() refuse.
    const verified = await db.verify().then(() => undefined, (e: unknown) => e);
    const scoped = await db.tenant(seeded.ids.acme).then(() => undefined, (e: unknown) => e);
    expect(scoped?.constructor).toBe(verified?.constructor);
    return verified;
  } finally {
    await db.close();
  }
}

describe('at start, the scoped client fails closed', () => {
  it('accepts the app role in RLS mode', async () => {
    expect(await attempt(seeded.testDb.urls.app, 'rls')).toBeUndefined();
  });

  it.each(['rls', 'app'] as const)('refuses a superuser in %s mode', async (mode) => {
    const error = await attempt(seeded.testDb.urls.migrate, mode);
    expect(error).toBeInstanceOf(UnsafeDatabaseRoleError);
    expect((error as Error).message).toMatch(/superuser.*bypass row-level security.*DATABASE_APP_URL/s);
  });

  it('refuses a BYPASSRLS role in RLS mode', async () => {
    const error = await attempt(seeded.testDb.urls.admin, 'rls');
    expect(error).toMatchObject({ code: 'DATABASE_ROLE_UNSAFE' });
    expect((error as Error).message).toContain('BYPASSRLS');
  });

  it('refuses the owner of the tenant tables in RLS mode', async () => {
    const error = await attempt(seeded.testDb.urls.owner, 'rls');
    expect(error).toBeInstanceOf(UnsafeDatabaseRoleError);
    expect((error as Error).message).toMatch(/owns .*customers/);
  });
});

describe('a database whose RLS drifted', () => {
  let drifted: TestDatabase;
  beforeAll(async () => {
    drifted = await createTestDatabase();
    const owner = postgres(drifted.urls.owner, { max: 1, onnotice: () => {} });
    await owner`alter table invoices no force row level security`;
    await owner.end();
  });
  afterAll(async () => {
    await drifted?.drop();
  });

  it('is refused in RLS mode, naming the table', async () => {
    const db = createDatabase({ url: drifted.urls.app, mode: 'rls', poolSize: 1 });
    try {
      const error = await db.verify().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnsafeDatabaseRoleError);
      expect((error as Error).message).toMatch(/invoices lack ENABLE \+ FORCE ROW LEVEL SECURITY/);
    } finally {
      await db.close();
    }
  });

  it('is accepted in app mode, where the guard alone enforces', async () => {
    const db = createDatabase({ url: drifted.urls.app, mode: 'app', poolSize: 1 });
    try {
      await expect(db.verify()).resolves.toBeUndefined();
    } finally {
      await db.close();
    }
  });
});
