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
import { createTenantJobs } from '../../src/jobs';
import { internals } from '../../src/internal/symbols';
import { seededDatabase, type SeededDatabase } from '../helpers';
import { customers } from '@studio/db-schema/schema';
import { sql } from 'drizzle-orm';

let seeded: SeededDatabase;
let db: Database;

beforeAll(async () => {
  seeded = await seededDatabase();
  const app = postgres(seeded.testDb.urls.app, { max: 1, onnotice: () => {} });
  try {
    await app.unsafe(
      ['default_transaction_read_only = on', 'lock_timeout = 1', 'standard_conforming_strings = off', 'row_security = off', 'search_path = pg_catalog', '"DateStyle" = \'SQL, DMY\'']
        .map((setting) => `alter role current_user in database "${seeded.testDb.name}" set ${setting}`)
        .join(';\n'),
    );
  } finally {
    await app.end();
  }
  // The jobs role does the same to itself.
  await seeded.su.unsafe(`alter role ${seeded.testDb.roles.jobs.name} in database "${seeded.testDb.name}" set default_transaction_read_only = on`);
  db = createDatabase({ url: seeded.testDb.urls.app, tenantCache: { listen: false } });
});

afterAll(async () => {
  await db?.close();
  await seeded?.su.unsafe(`alter role ${seeded.testDb.roles.app.name} in database "${seeded.testDb.name}" reset all`);
  await seeded?.su.unsafe(`alter role ${seeded.testDb.roles.jobs.name} in database "${seeded.testDb.name}" reset all`);
  await seeded?.close();
});

describe('settings a role gives itself', () => {
  it('do make an unpinned connection read-only (the attack is real)', async () => {
    const plain = postgres(seeded.testDb.urls.app, { max: 1, onnotice: () => {} });
    try {
      const [row] = await plain<{ ro: string; lock: string }[]>`
        select current_setting('default_transaction_read_only') as ro, current_setting('lock_timeout') as lock`;
      expect(row).toEqual({ ro: 'on', lock: '1ms' });
      const [strings] = await plain<{ scs: string }[]>`select current_setting('standard_conforming_strings') as scs`;
      expect(strings!.scs).toBe('off');
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
    const pool = db[internals].placements.get('shared')!.scoped.request;
    const { rows: seen } = await pool.shared((conn) =>
      conn.run([
        {
          text: `select current_setting('default_transaction_read_only') as ro, current_setting('lock_timeout') as lock,
            current_setting('standard_conforming_strings') as scs, current_setting('row_security') as rls,
            current_setting('search_path') as path, current_setting('DateStyle') as dates`,
          values: [],
          result: 'object',
        },
      ]),
    );
    const settings = seen[0];
    expect(settings).toEqual({ ro: 'off', lock: '10s', scs: 'on', rls: 'on', path: 'public', dates: 'ISO, MDY' });
  });

  // Red-team finding: with standard_conforming_strings off the server read '\' as an escaped
  // quote, so a filter the guard parsed as two string comparisons became `or true`.
  it('cannot make a literal the guard parsed mean something else to the server', async () => {
    const tdb = await db.tenant(seeded.ids.acme);
    // In JavaScript '\\' is one backslash: the SQL reads  title = '\' and title = ' or true -- '
    const literals = sql.raw(`title = '\\' and title = ' or true -- '`);
    const rows = await tdb.execute<{ n: number; tenants: number }>(
      sql`select count(*)::int as n, count(distinct tenant_id)::int as tenants from lesson_plans where tenant_id = ${seeded.ids.acme} and ${literals}`,
    );
    expect(rows[0]).toEqual({ n: 0, tenants: 0 });
  });

  it("do not reach the job queue's pool: a job is still enqueued", async () => {
    const jobs = createTenantJobs({ db, url: seeded.testDb.urls.jobs });
    const job = jobs.defineTenantJob('settings.probe', async () => {});
    try {
      await jobs.start({ workers: false });
      await expect(job.enqueue({ tenantId: seeded.ids.acme }, {})).resolves.toBeTruthy();
    } finally {
      await jobs.stop(1000);
    }
  });
});
