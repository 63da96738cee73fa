// Regression (issue 21): studio_audit_append_only() read OLD.seq in a condition that also ran
// for platform_events, so a DELETE there failed with "record old has no field seq" instead of
// the append-only refusal; and it took the table's name from TG_TABLE_NAME, which on a Citus
// shard is audit_events_<shardid>, so it refused the seal's UPDATE and the erase's DELETE there.
// A copy of audit_events under a shard-like name, with the trigger as db:distribute leaves it on
// a shard, stands in for the shard on plain Postgres.
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantContextValue } from '../../src/config';
import { seedDemo } from '../../src/seed';
import { createTestDatabase, type TestDatabase } from '../../src/testing/index';

let database: TestDatabase;
let su: postgres.Sql;
let acme: string;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemo(database.urls.owner);
  su = postgres(database.urls.migrate, { max: 1, onnotice: () => {} });
  acme = (await su<{ id: string }[]>`select id from tenants where slug = 'acme'`)[0]!.id;
});

afterAll(async () => {
  await su?.end();
  await database?.drop();
});

describe('the append-only trigger', () => {
  it('refuses a DELETE on platform_events as append-only (was: record "old" has no field "seq")', async () => {
    await su`insert into platform_events (action, payload) values ('regression.test', '{}')`;
    await expect(su`delete from platform_events where action = 'regression.test'`).rejects.toThrow(/platform_events is append-only: DELETE is not allowed/);
    await expect(su`update platform_events set payload = '{"x":1}' where action = 'regression.test'`).rejects.toThrow(
      /platform_events is append-only: UPDATE is not allowed/,
    );
  });

  it('takes the logical table from its argument: on a shard-named copy the seal and the erase still work', async () => {
    await su.unsafe(`create table audit_events_102008 (like audit_events including all)`);
    await su.unsafe(`create trigger a_o before update or delete on audit_events_102008 for each row execute function studio_audit_append_only('audit_events')`);
    await su`insert into audit_events_102008 (tenant_id, action) values (${acme}, 'shard.event')`;
    // Sealing: fills the chain, changes nothing else.
    await expect(su`update audit_events_102008 set seq = 1, hash = 'h' where action = 'shard.event'`).resolves.toHaveLength(0);
    // Anything else is refused, naming the logical table.
    await expect(su`update audit_events_102008 set target = 'x'`).rejects.toThrow(/audit_events is append-only: UPDATE is not allowed/);
    await expect(su`delete from audit_events_102008`).rejects.toThrow(/audit_events is append-only: DELETE is not allowed/);
    // The erase of the tenant deletes its trail.
    await su.begin(async (tx) => {
      await tx`select set_config('studio.erasing_tenant', ${acme}, true)`;
      await tx`delete from audit_events_102008`;
    });
    expect(await su`select 1 from audit_events_102008`).toHaveLength(0);
  });
});

describe('audit inserts carrying created_at (Citus sends the default explicitly)', () => {
  it('are accepted from the app role, with the time and the chain replaced by the database', async () => {
    const app = postgres(database.urls.app, { max: 1, onnotice: () => {} });
    try {
      await app.begin(async (tx) => {
        await tx`select set_config('app.tenant_context', ${tenantContextValue(acme)}, true)`;
        await tx`insert into audit_events (tenant_id, action, created_at) values (${acme}, 'stamp.test', '2000-01-01')`;
      });
      const [row] = await su<{ created_at: Date; seq: string | null }[]>`select created_at, seq from audit_events where action = 'stamp.test'`;
      expect(row!.seq).toBeNull();
      expect(Math.abs(row!.created_at.getTime() - Date.now())).toBeLessThan(60_000);
    } finally {
      await app.end();
    }
  });
});
