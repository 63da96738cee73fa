// The migration guard on a distributed (Citus) database (issue 21): what Citus cannot run, or what
// breaks on shards, is refused unless marked `-- studio:citus-ok <why>`; on plain Postgres the
// same files pass.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadModule } from 'libpg-query';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citusProblems, guardMigrations } from '../src/migration-guard';

const MONDAY = new Date(2026, 10, 23, 10);
let dir: string;

beforeAll(async () => {
  await loadModule();
  dir = await mkdtemp(path.join(os.tmpdir(), 'studio-guard-citus-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function guard(sqlText: string, citus: boolean): Promise<void> {
  const tag = `9999_${Math.random().toString(36).slice(2)}`;
  await writeFile(path.join(dir, `${tag}.sql`), sqlText);
  await guardMigrations([{ idx: 9999, when: Date.now(), tag }], dir, { now: MONDAY, citus });
}

describe('migration guard on a distributed database', () => {
  it('refuses a policy with a sub-select, and passes the Citus shape', async () => {
    const subselect = 'CREATE POLICY tenant_isolation ON notes USING (tenant_id = (select tenant_id from studio_current_tenant));';
    expect(citusProblems(subselect)).toEqual([expect.stringMatching(/^policy tenant_isolation on notes has a sub-select/)]);
    await expect(guard(subselect, true)).rejects.toMatchObject({ code: 'MIGRATION_CITUS' });
    await expect(guard(subselect, false)).resolves.toBeUndefined();
    await expect(guard('ALTER POLICY tenant_isolation ON notes USING (tenant_id = studio_tenant());', true)).resolves.toBeUndefined();
  });

  it('refuses NOTIFY and pg_notify, also inside a function', async () => {
    for (const sqlText of [
      'NOTIFY studio_tenant_changed;',
      "SELECT pg_notify('x', 'y');",
      "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_notify('x', NEW.id::text); RETURN NEW; END $$;",
    ]) {
      await expect(guard(sqlText, true), sqlText).rejects.toThrow(/NOTIFY or pg_notify/);
    }
  });

  it('refuses a trigger function naming its table by TG_TABLE_NAME alone, not with TG_ARGV', async () => {
    const shardName = "CREATE FUNCTION g() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_TABLE_NAME = 'audit_events' THEN RETURN NEW; END IF; RETURN NULL; END $$;";
    await expect(guard(shardName, true)).rejects.toThrow(/TG_TABLE_NAME without TG_ARGV/);
    await expect(guard(shardName.replace("TG_TABLE_NAME = 'audit_events'", "coalesce(TG_ARGV[0], TG_TABLE_NAME) = 'audit_events'"), true)).resolves.toBeUndefined();
  });

  it('lets a migration marked studio:citus-ok through', async () => {
    await expect(guard('-- studio:citus-ok the table stays local on the coordinator\nNOTIFY x;', true)).resolves.toBeUndefined();
  });
});
