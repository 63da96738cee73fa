import { seedDemo } from '@studio/db-schema/seed';
import { createTestDatabase, type TestDatabase } from '@studio/db-schema/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appDatabaseUrl, createDatabase, placementsFromEnv, type Database } from '../src/index';

let testDb: TestDatabase;
let db: Database;

beforeAll(async () => {
  testDb = await createTestDatabase();
  await seedDemo(testDb.urls.owner);
  db = createDatabase({ url: testDb.urls.app });
});

afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

describe('createDatabase', () => {
  it('lists the tenant registry as the app role', async () => {
    const tenants = await db.platform.listTenants();
    expect(tenants.map((t) => t.slug)).toEqual(['acme', 'globex', 'initech']);
  });

  it('derives the app role URL from DATABASE_URL, and says what to do without one', () => {
    const url = appDatabaseUrl({ DATABASE_URL: 'postgres://root:pw@db.internal:5432/studio' });
    expect(new URL(url).username).toBe('studio_app');
    expect(new URL(url).pathname).toBe('/studio');
    expect(appDatabaseUrl({ DATABASE_APP_URL: 'postgres://x:y@h/db' })).toBe('postgres://x:y@h/db');
    expect(() => appDatabaseUrl({})).toThrow(/set DATABASE_APP_URL/);
  });

  it('reads extra placements from DATABASE_PLACEMENTS, refusing malformed values with the reason', () => {
    expect(placementsFromEnv({})).toEqual({});
    expect(placementsFromEnv({ DATABASE_PLACEMENTS: '{"eu-1":"postgres://a:b@eu/db"}' })).toEqual({ 'eu-1': 'postgres://a:b@eu/db' });
    expect(() => placementsFromEnv({ DATABASE_PLACEMENTS: 'eu=postgres://x' })).toThrow(/not JSON/);
    expect(() => placementsFromEnv({ DATABASE_PLACEMENTS: '{"EU":"postgres://x"}' })).toThrow(/placement keys/);
    expect(() => placementsFromEnv({ DATABASE_PLACEMENTS: '{"eu":"mysql://x"}' })).toThrow(/postgres:\/\/ URL/);
    expect(() => placementsFromEnv({ DATABASE_PLACEMENTS: '{"shared":"postgres://x"}' })).toThrow(/DATABASE_URL/);
  });
});
