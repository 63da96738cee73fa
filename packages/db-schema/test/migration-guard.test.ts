import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadModule } from 'libpg-query';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { destructiveStatements, guardMigrations, pendingMigrations, readJournal } from '../src/migration-guard';
import { migrationsFolder } from '../src/migrate';
import { createTestDatabase, type TestDatabase } from '../src/testing/index';

const run = promisify(execFile);
let db: TestDatabase;
let dir: string;

beforeAll(async () => {
  await loadModule();
  db = await createTestDatabase();
  dir = await mkdtemp(path.join(os.tmpdir(), 'studio-guard-'));
}, 60_000);
afterAll(async () => {
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

/** A copy of the migrations folder with one more migration. */
async function withMigration(sqlText: string): Promise<string> {
  const folder = await mkdtemp(path.join(dir, 'drizzle-'));
  await cp(migrationsFolder, folder, { recursive: true });
  const journalPath = path.join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(await readFile(journalPath, 'utf8')) as { entries: { idx: number; when: number; tag: string; version: string; breakpoints: boolean }[] };
  const last = journal.entries.at(-1)!;
  journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1000, tag: '9999_next' });
  await writeFile(journalPath, JSON.stringify(journal));
  await writeFile(path.join(folder, '9999_next.sql'), sqlText);
  return folder;
}

const MONDAY = new Date(2026, 10, 23, 10);
const FRIDAY = new Date(2026, 10, 27, 10);

describe('db:migrate guard', () => {
  it('names each destructive statement, read by the Postgres parser', () => {
    expect(
      destructiveStatements(`
        DROP TABLE "old";--> statement-breakpoint
        ALTER TABLE "invoices" DROP COLUMN "notes", ALTER COLUMN "amount_cents" TYPE bigint;
        ALTER TABLE "customers" RENAME COLUMN "name" TO "title";
        ALTER TABLE "customers" RENAME TO "clients";`),
    ).toEqual(['DROP TABLE', 'DROP COLUMN invoices.notes', 'ALTER COLUMN invoices.amount_cents TYPE', 'RENAME column customers.name to title', 'RENAME table customers to clients']);
    // Additive changes, and the words inside a comment, a string or a DO block, are not.
    expect(
      destructiveStatements(`
        -- DROP TABLE invoices
        ALTER TABLE "invoices" ADD COLUMN "due" date;
        CREATE INDEX i ON invoices (tenant_id, due);
        DROP INDEX i;
        SELECT 'DROP TABLE x';
        DO $$ BEGIN RAISE NOTICE 'ALTER TABLE a DROP COLUMN b'; END $$;`),
    ).toEqual([]);
  });

  it('lets every committed migration through (each destructive one is marked)', async () => {
    await expect(guardMigrations(await readJournal(migrationsFolder), migrationsFolder, { now: MONDAY })).resolves.toBeUndefined();
  });

  it('refuses an unmarked destructive migration, and accepts it marked with a reason', async () => {
    const unmarked = await withMigration('ALTER TABLE "invoices" DROP COLUMN "notes";');
    const sql = postgres(db.urls.migrate, { max: 1, onnotice: () => {} });
    try {
      const pending = await pendingMigrations(sql, unmarked);
      expect(pending.map((e) => e.tag)).toEqual(['9999_next']);
      await expect(guardMigrations(pending, unmarked, { now: MONDAY })).rejects.toMatchObject({
        code: 'MIGRATION_DESTRUCTIVE',
        message: expect.stringContaining('DROP COLUMN invoices.notes'),
      });
      const marked = await withMigration('-- studio:destructive notes moved to invoice_notes in 0012; no code reads it since v41\nALTER TABLE "invoices" DROP COLUMN "notes";');
      await expect(guardMigrations(await pendingMigrations(sql, marked), marked, { now: MONDAY })).resolves.toBeUndefined();
      // A mark without a reason is no mark.
      const bare = await withMigration('-- studio:destructive\nALTER TABLE "invoices" DROP COLUMN "notes";');
      await expect(guardMigrations(await pendingMigrations(sql, bare), bare, { now: MONDAY })).rejects.toMatchObject({ code: 'MIGRATION_DESTRUCTIVE' });
    } finally {
      await sql.end();
    }
  });

  it('refuses to migrate on a Friday unless told --friday-ok; with nothing pending, Friday is fine', async () => {
    const folder = await withMigration('ALTER TABLE "invoices" ADD COLUMN "due" date;');
    const sql = postgres(db.urls.migrate, { max: 1, onnotice: () => {} });
    try {
      const pending = await pendingMigrations(sql, folder);
      await expect(guardMigrations(pending, folder, { now: FRIDAY })).rejects.toMatchObject({ code: 'MIGRATION_ON_FRIDAY', message: expect.stringContaining('--friday-ok') });
      await expect(guardMigrations(pending, folder, { now: FRIDAY, fridayOk: true })).resolves.toBeUndefined();
      await expect(guardMigrations(await pendingMigrations(sql, migrationsFolder), migrationsFolder, { now: FRIDAY })).resolves.toBeUndefined();
    } finally {
      await sql.end();
    }
  });

  // Two minutes: it starts the CLI (pnpm, then tsx compiling it), which on a loaded CI machine took over 30 s.
  it('pnpm db:migrate rejects an unknown option with usage, exit 2', { timeout: 120_000 }, async () => {
    const result = await run('pnpm', ['-s', 'cli', 'migrate', '--fryday-ok'], { cwd: path.join(import.meta.dirname, '..'), env: { ...process.env, DATABASE_URL: db.urls.migrate } }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(result).toMatchObject({ code: 2 });
    expect((result as { stderr: string }).stderr).toContain('Unknown option "--fryday-ok"');
  });
});
