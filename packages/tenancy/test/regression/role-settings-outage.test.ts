/**
 * Issue 18: `alter role current_user set default_transaction_read_only = on`, run once as the
 * product role, made every new connection of every app read-only: a platform-wide outage from
 * one statement. A role may always change its own defaults, so the pools pin the settings in
 * their startup packet, which takes precedence over a role's. (Per database here, so the shared
 * role of other test files is untouched.)
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../src/index';
import { internals } from '../../src/internal';
import { seededDatabase, type SeededDatabase } from '../helpers';
import { customers } from '@studio/db-schema/schema';

let seeded: SeededDatabase;
let db: Database;

beforeAll(async () => {
  seeded = await seededDatabase();
  const app = postgres(seeded.testDb.urls.app, { max: 1, onnotice: () => {} });
  try {
    await app.unsafe(
      `alter role current_user in database "${seeded.testDb.name}" set default_transaction_read_only = on;
       alter role current_user in database "${seeded.testDb.name}" set lock_timeout = 1`,
    );
  } finally {
    await app.end();
  }
  db = createDatabase({ url: seeded.testDb.urls.app, tenantCache: { listen: false } });
});

afterAll(async () => {
  await db?.close();
  await seeded?.su.unsafe(`alter role ${seeded.testDb.roles.app.name} in database "${seeded.testDb.name}" reset all`);
  await seeded?.close();
});

describe('settings a role gives itself', () => {
  it('do make an unpinned connection read-only (the attack is real)', async () => {
    const plain = postgres(seeded.testDb.urls.app, { max: 1, onnotice: () => {} });
    try {
      const [row] = await plain<{ ro: string; lock: string }[]>`
        select current_setting('default_transaction_read_only') as ro, current_setting('lock_timeout') as lock`;
      expect(row).toEqual({ ro: 'on', lock: '1ms' });
    } finally {
      await plain.end();
    }
  });

  it("do not reach the scoped client's pools: they still write, with their own timeouts", async () => {
    const tdb = await db.tenant(seeded.ids.acme);
    const [row] = await tdb.insert(customers).values({ tenantId: seeded.ids.acme, name: 'Still writable' }).returning({ id: customers.id });
    expect(row!.id).toBeTruthy();
    const background = await db.tenant(seeded.ids.acme, { pool: 'background' });
    const rows = await background.select({ id: customers.id }).from(customers).limit(1);
    expect(rows).toHaveLength(1);
    const pool = db[internals].placements.get('shared')!.request;
    const [settings] = await pool<{ ro: string; lock: string }[]>`
      select current_setting('default_transaction_read_only') as ro, current_setting('lock_timeout') as lock`;
    expect(settings).toEqual({ ro: 'off', lock: '10s' });
  });
});
