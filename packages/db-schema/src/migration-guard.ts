/**
 * Studio rules for `pnpm db:migrate` on a real database:
 *
 * - A pending migration with a destructive statement (DROP TABLE, DROP COLUMN, ALTER COLUMN ...
 *   TYPE, any RENAME) is refused unless the file says so with a line
 *   `-- studio:destructive <why>`: such changes break the running app version during a deploy
 *   and lose data, so they ship deliberately, after the code stopped using what they remove.
 * - Nothing is migrated on a Friday unless `--friday-ok`.
 *
 * Statements are read with the real Postgres parser (libpg-query), so comments, strings and DO
 * blocks cannot fool it.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadModule, parseSync } from 'libpg-query';
import type postgres from 'postgres';

export class MigrationGuardError extends Error {
  constructor(
    readonly code: 'MIGRATION_DESTRUCTIVE' | 'MIGRATION_ON_FRIDAY' | 'MIGRATION_UNPARSABLE',
    message: string,
  ) {
    super(message);
    this.name = 'MigrationGuardError';
  }
}

export interface JournalEntry {
  idx: number;
  when: number;
  tag: string;
}

export async function readJournal(folder: string): Promise<JournalEntry[]> {
  const journal = JSON.parse(await readFile(path.join(folder, 'meta', '_journal.json'), 'utf8')) as { entries: JournalEntry[] };
  return journal.entries;
}

/** Migrations the database has not applied yet (drizzle applies those newer than its last). */
export async function pendingMigrations(sql: postgres.Sql, folder: string): Promise<JournalEntry[]> {
  const entries = await readJournal(folder);
  const [table] = await sql<{ exists: boolean }[]>`select to_regclass('drizzle.__drizzle_migrations') is not null as exists`;
  if (!table!.exists) return entries;
  const [last] = await sql<{ at: string | null }[]>`select max(created_at)::text as at from drizzle.__drizzle_migrations`;
  const applied = last?.at ? Number(last.at) : 0;
  return entries.filter((e) => e.when > applied);
}

const MARK = /^--[ \t]*studio:destructive[ \t]+\S/m;

interface Node {
  [key: string]: unknown;
}

/** The destructive statements of one migration's SQL, described for a person. */
export function destructiveStatements(sqlText: string): string[] {
  const found: string[] = [];
  const { stmts } = parseSync(sqlText) as { stmts: { stmt: Node }[] };
  for (const { stmt } of stmts) {
    const drop = stmt.DropStmt as { removeType?: string; objects?: unknown } | undefined;
    if (drop?.removeType === 'OBJECT_TABLE') found.push('DROP TABLE');
    const alter = stmt.AlterTableStmt as { relation?: { relname?: string }; cmds?: { AlterTableCmd?: { subtype?: string; name?: string } }[] } | undefined;
    for (const cmd of alter?.cmds ?? []) {
      const table = alter?.relation?.relname ?? '?';
      if (cmd.AlterTableCmd?.subtype === 'AT_DropColumn') found.push(`DROP COLUMN ${table}.${cmd.AlterTableCmd.name}`);
      if (cmd.AlterTableCmd?.subtype === 'AT_AlterColumnType') found.push(`ALTER COLUMN ${table}.${cmd.AlterTableCmd.name} TYPE`);
    }
    const rename = stmt.RenameStmt as { renameType?: string; relation?: { relname?: string }; subname?: string; newname?: string } | undefined;
    if (rename) found.push(`RENAME ${rename.renameType?.replace('OBJECT_', '').toLowerCase()} ${rename.relation?.relname ?? ''}${rename.subname ? `.${rename.subname}` : ''} to ${rename.newname}`);
  }
  return found;
}

export interface GuardOptions {
  fridayOk?: boolean;
  /** For tests: the current time. */
  now?: Date;
}

/** Throws MigrationGuardError when the pending migrations break a studio rule. */
export async function guardMigrations(pending: JournalEntry[], folder: string, options: GuardOptions = {}): Promise<void> {
  if (pending.length === 0) return;
  const now = options.now ?? new Date();
  if (now.getDay() === 5 && !options.fridayOk) {
    throw new MigrationGuardError(
      'MIGRATION_ON_FRIDAY',
      `It is Friday: ${pending.length} pending migration(s) (${pending.map((e) => e.tag).join(', ')}) wait for Monday. If it cannot wait, run again with --friday-ok.`,
    );
  }
  await loadModule();
  for (const entry of pending) {
    const file = path.join(folder, `${entry.tag}.sql`);
    const text = await readFile(file, 'utf8');
    let destructive: string[];
    try {
      destructive = destructiveStatements(text);
    } catch (error) {
      throw new MigrationGuardError('MIGRATION_UNPARSABLE', `${entry.tag}.sql does not parse: ${(error as Error).message}`);
    }
    if (destructive.length > 0 && !MARK.test(text)) {
      throw new MigrationGuardError(
        'MIGRATION_DESTRUCTIVE',
        `${entry.tag}.sql is destructive (${destructive.join('; ')}) and not marked. Nothing was migrated. ` +
          'If the running code no longer uses what it removes, add a line `-- studio:destructive <why>` to the file and run again.',
      );
    }
  }
}
