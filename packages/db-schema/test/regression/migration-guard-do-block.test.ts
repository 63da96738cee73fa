// Regression (issue 20): the guard read only top-level statements, so a DO block that ran
// `EXECUTE 'DROP TABLE x'` passed unmarked although its header said DO blocks could not fool it.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadModule } from 'libpg-query';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { destructiveStatements, guardMigrations } from '../../src/migration-guard';

const MONDAY = new Date(2026, 10, 23, 10);
let dir: string;

beforeAll(async () => {
  await loadModule();
  dir = await mkdtemp(path.join(os.tmpdir(), 'studio-guard-do-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the guard on one pending migration with this text. */
async function guard(sqlText: string): Promise<void> {
  const tag = `9999_${Math.random().toString(36).slice(2)}`;
  await writeFile(path.join(dir, `${tag}.sql`), sqlText);
  await guardMigrations([{ idx: 9999, when: Date.now(), tag }], dir, { now: MONDAY });
}

describe('migration guard: DO blocks and function bodies', () => {
  it('refuses a DO block that drops a table through EXECUTE, unless marked', async () => {
    const sqlText = `DO $$ BEGIN EXECUTE 'DROP TABLE x'; END $$;`;
    expect(destructiveStatements(sqlText)).toEqual(['DROP TABLE (EXECUTE in a DO block)']);
    await expect(guard(sqlText)).rejects.toMatchObject({ code: 'MIGRATION_DESTRUCTIVE', message: expect.stringContaining('DROP TABLE') });
    await expect(guard(`-- studio:destructive x replaced by y in 0042; nothing reads it since v12\n${sqlText}`)).resolves.toBeUndefined();
  });

  it('refuses dynamic SQL it cannot read: a variable, a concatenation, format() with %s', async () => {
    for (const sqlText of [
      `DO $$ DECLARE q text := 'DROP TABLE x'; BEGIN EXECUTE q; END $$;`,
      `DO $$ BEGIN EXECUTE 'DROP ' || 'TABLE x'; END $$;`,
      `DO $$ BEGIN EXECUTE format('GRANT SELECT ON t TO %s', 'studio_app'); END $$;`,
      `CREATE FUNCTION drop_it(name text) RETURNS void LANGUAGE plpgsql AS $f$ BEGIN EXECUTE 'DROP TABLE ' || quote_ident(name); END $f$;`,
    ]) {
      expect(destructiveStatements(sqlText), sqlText).toEqual([expect.stringContaining('dynamic SQL the guard cannot read')]);
      await expect(guard(sqlText)).rejects.toMatchObject({ code: 'MIGRATION_DESTRUCTIVE' });
    }
  });

  it('reads destructive statements in every branch of a DO block and in function bodies', () => {
    expect(destructiveStatements(`DO $$ BEGIN IF now() > '2020-01-01' THEN ALTER TABLE invoices DROP COLUMN notes; END IF; END $$;`)).toEqual([
      'DROP COLUMN invoices.notes (in a DO block)',
    ]);
    expect(destructiveStatements(`DO $$ BEGIN EXECUTE format('DROP TABLE %I', 'old'); END $$;`)).toEqual(['DROP TABLE (EXECUTE in a DO block)']);
    expect(destructiveStatements(`CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $f$ BEGIN DROP TABLE y; END $f$;`)).toEqual(['DROP TABLE (in function f)']);
    expect(destructiveStatements(`CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $f$ ALTER TABLE a RENAME TO b $f$;`)).toEqual(['RENAME table a to b (in function f)']);
    expect(destructiveStatements(`CREATE FUNCTION f() RETURNS void LANGUAGE sql BEGIN ATOMIC DROP TABLE y; END;`)).toEqual(['DROP TABLE (in function f)']);
    expect(destructiveStatements(`DO LANGUAGE plperl $$ 1 $$;`)).toEqual(['a DO block in language plperl, which the guard cannot read']);
  });

  it('lets a fixed EXECUTE through: format() of a constant with %I and %L, as the grant migrations write it', async () => {
    const sqlText = `DO $grants$
      DECLARE app text := current_setting('studio.app_role');
      BEGIN
        EXECUTE format('GRANT SELECT, INSERT ON invoices TO %I', app);
        EXECUTE format('COMMENT ON TABLE invoices IS %L', 'tenant invoices, 100%% ours');
        RAISE NOTICE 'ALTER TABLE a DROP COLUMN b';
      END
      $grants$;`;
    expect(destructiveStatements(sqlText)).toEqual([]);
    await expect(guard(sqlText)).resolves.toBeUndefined();
  });
});
