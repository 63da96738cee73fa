/**
 * Studio rules for `pnpm db:migrate`, checked on the pending migrations before any runs: an
 * unmarked destructive statement (`-- studio:destructive <why>`), a Friday (`--friday-ok`), and
 * on Citus what breaks on shards (`-- studio:citus-ok <why>`). Read with the real Postgres
 * parser, DO and function bodies included; dynamic SQL it cannot read counts as destructive.
 * docs/migrations.md
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadModule, parsePlPgSQLSync, parseSync } from 'libpg-query';
import type postgres from 'postgres';

export class MigrationGuardError extends Error {
  constructor(
    readonly code: 'MIGRATION_DESTRUCTIVE' | 'MIGRATION_ON_FRIDAY' | 'MIGRATION_UNPARSABLE' | 'MIGRATION_CITUS',
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
const CITUS_MARK = /^--[ \t]*studio:citus-ok[ \t]+\S/m;

/** What one migration's SQL does that a distributed (Citus) database cannot run or that breaks on shards. */
export function citusProblems(sqlText: string): string[] {
  const found: string[] = [];
  const { stmts } = parseSync(sqlText) as { stmts: { stmt: Node; stmt_location?: number; stmt_len?: number }[] };
  for (const { stmt, stmt_location: at = 0, stmt_len: len } of stmts) {
    const text = len ? sqlText.slice(at, at + len) : sqlText.slice(at);
    const json = JSON.stringify(stmt);
    const policy = (stmt.CreatePolicyStmt ?? stmt.AlterPolicyStmt) as { policy_name?: string; table?: { relname?: string } } | undefined;
    if (policy && json.includes('"SubLink"')) {
      found.push(`policy ${policy.policy_name} on ${policy.table?.relname} has a sub-select (Citus refuses it: tenant_id = studio_tenant())`);
    }
    if (stmt.NotifyStmt || json.includes('"pg_notify"') || ((stmt.CreateFunctionStmt || stmt.DoStmt) && /\b(pg_notify|NOTIFY)\b/i.test(text))) {
      found.push('NOTIFY or pg_notify (Citus cannot PREPARE a transaction that ran it)');
    }
    if (stmt.CreateFunctionStmt && /\bTG_TABLE_NAME\b/.test(text) && !/\bTG_ARGV\b/.test(text)) {
      found.push('TG_TABLE_NAME without TG_ARGV (on a shard it is the shard name: pass the table as the trigger argument)');
    }
  }
  return found;
}

interface Node {
  [key: string]: unknown;
}

/** The destructive statements of one migration's SQL, described for a person. */
export function destructiveStatements(sqlText: string): string[] {
  const found: string[] = [];
  const { stmts } = parseSync(sqlText) as { stmts: { stmt: Node; stmt_location?: number; stmt_len?: number }[] };
  for (const { stmt, stmt_location: at = 0, stmt_len: length = 0 } of stmts) {
    // stmt_len 0: the statement runs to the end of the text.
    const text = length > 0 ? sqlText.slice(at, at + length) : sqlText.slice(at);
    found.push(...destructiveInStatement(stmt, text));
  }
  return found;
}

function destructiveInStatement(stmt: Node, text: string): string[] {
  const found: string[] = [];
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

  const doStmt = stmt.DoStmt as { args?: { DefElem: DefElem }[] } | undefined;
  if (doStmt) {
    const options = defElems(doStmt.args);
    found.push(...destructiveInBody('a DO block', stringOption(options.language) ?? 'plpgsql', stringOption(options.as), text));
  }
  const fn = stmt.CreateFunctionStmt as { funcname?: { String?: { sval?: string } }[]; options?: { DefElem: DefElem }[]; sql_body?: unknown } | undefined;
  if (fn) {
    const name = `function ${(fn.funcname ?? []).map((part) => part.String?.sval).join('.')}`;
    const options = defElems(fn.options);
    const language = (stringOption(options.language) ?? 'sql').toLowerCase();
    if (fn.sql_body !== undefined) {
      // BEGIN ATOMIC ... END: the statements arrive parsed.
      for (const inner of parsedStatements(fn.sql_body)) found.push(...destructiveInStatement(inner, '').map((what) => `${what} (in ${name})`));
    } else {
      // AS 'body' (or AS 'obj_file', 'link_symbol' for C: not SQL, and not ours to read).
      const as = options.as as { List?: { items?: { String?: { sval?: string } }[] } } | undefined;
      const body = as?.List?.items?.[0]?.String?.sval ?? stringOption(options.as);
      found.push(...destructiveInBody(name, language, body, text));
    }
  }
  return found;
}

interface DefElem {
  defname: string;
  arg?: unknown;
}

function defElems(args: { DefElem: DefElem }[] | undefined): Record<string, unknown> {
  return Object.fromEntries((args ?? []).map(({ DefElem: elem }) => [elem.defname, elem.arg]));
}

function stringOption(arg: unknown): string | undefined {
  return (arg as { String?: { sval?: string } } | undefined)?.String?.sval;
}

/** The statement nodes of a BEGIN ATOMIC body (a list of lists of statements). */
function parsedStatements(node: unknown): Node[] {
  const out: Node[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!value || typeof value !== 'object') return;
    const list = (value as { List?: { items?: unknown[] } }).List;
    if (list) return visit(list.items ?? []);
    out.push(value as Node);
  };
  visit(node);
  return out;
}

/**
 * What a DO block or function body does that the guard refuses unmarked: its destructive
 * statements, and any SQL it builds at run time.
 */
function destructiveInBody(where: string, language: string, body: string | undefined, statementText: string): string[] {
  const lang = language.toLowerCase();
  if (body === undefined) return [`${where} whose body the guard cannot read`];
  if (lang === 'sql') {
    try {
      return destructiveStatements(body).map((what) => `${what} (in ${where})`);
    } catch (error) {
      return [`${where} whose SQL body does not parse (${(error as Error).message})`];
    }
  }
  if (lang !== 'plpgsql') return [`${where} in language ${language}, which the guard cannot read`];
  let tree: unknown;
  try {
    // The statement's own text: the PL/pgSQL parser takes one DO or CREATE FUNCTION.
    tree = parsePlPgSQLSync(statementText);
  } catch (error) {
    return [`${where} whose PL/pgSQL body does not parse (${(error as Error).message})`];
  }
  const found: string[] = [];
  walkPlpgsql(tree, (kind, node) => {
    if (kind === 'PLpgSQL_stmt_dynexecute' || kind === 'PLpgSQL_stmt_dynfors') {
      const query = (node.query as { PLpgSQL_expr?: { query?: string } } | undefined)?.PLpgSQL_expr?.query ?? '';
      found.push(...dynamicSql(where, query));
      return false;
    }
    if ((kind === 'PLpgSQL_stmt_open' || kind === 'PLpgSQL_stmt_return_query') && node.dynquery) {
      const query = (node.dynquery as { PLpgSQL_expr?: { query?: string } }).PLpgSQL_expr?.query ?? '';
      found.push(...dynamicSql(where, query));
      return false;
    }
    if (kind === 'PLpgSQL_expr') {
      const query = typeof node.query === 'string' ? node.query : '';
      // parseMode 0: a whole SQL statement (the others are expressions, read as SELECT <expr>).
      const statement = node.parseMode === 0 || node.parseMode === undefined;
      try {
        found.push(...destructiveStatements(statement ? query : `SELECT ${query}`).map((what) => `${what} (in ${where})`));
      } catch {
        // An expression the SQL parser alone cannot take (an assignment) runs no statement; a
        // statement it cannot read is refused.
        if (statement) found.push(`a statement the guard cannot parse (${query.trim()}) in ${where}`);
      }
      return false;
    }
    return true;
  });
  return found;
}

/** Walks a PL/pgSQL parse tree; the visitor returns false to skip a node's children. */
function walkPlpgsql(value: unknown, visit: (kind: string, node: Node) => boolean): void {
  if (Array.isArray(value)) {
    for (const item of value) walkPlpgsql(item, visit);
    return;
  }
  if (!value || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value as Node)) {
    if (key.startsWith('PLpgSQL_') && child && typeof child === 'object' && !Array.isArray(child)) {
      if (visit(key, child as Node)) walkPlpgsql(child, visit);
    } else {
      walkPlpgsql(child, visit);
    }
  }
}

/** Only these placeholders keep format()'s statement fixed: a quoted identifier or literal. */
const FIXED_PLACEHOLDER = /%(?:\d+\$)?([IL])|%%/g;
const ANY_PLACEHOLDER = /%/g;

/**
 * The SQL an EXECUTE runs, when the file fixes it: a string constant, or format() of a string
 * constant whose placeholders are %I or %L only. Then that text is read like any statement;
 * otherwise the EXECUTE itself is reported.
 */
function dynamicSql(where: string, expression: string): string[] {
  const refused = [`dynamic SQL the guard cannot read (EXECUTE ${expression.trim()}) in ${where}`];
  let target: Node | undefined;
  try {
    const { stmts } = parseSync(`SELECT ${expression}`) as { stmts: { stmt: Node }[] };
    const select = stmts.length === 1 ? (stmts[0]!.stmt.SelectStmt as { targetList?: { ResTarget: { val: Node } }[] } | undefined) : undefined;
    if (select?.targetList?.length === 1) target = select.targetList[0]!.ResTarget.val;
  } catch {
    return refused;
  }
  let text: string | undefined;
  const constant = (node: Node | undefined): string | undefined => (node?.A_Const as { sval?: { sval?: string } } | undefined)?.sval?.sval;
  if (constant(target) !== undefined) {
    text = constant(target);
  } else {
    const call = target?.FuncCall as { funcname?: { String?: { sval?: string } }[]; args?: Node[] } | undefined;
    const name = call?.funcname?.map((part) => part.String?.sval).join('.');
    const format = name === 'format' || name === 'pg_catalog.format' ? constant(call?.args?.[0]) : undefined;
    if (format !== undefined) {
      // Every % must be one of the fixed placeholders; %s (or a width) could splice in any SQL.
      const fixed = format.match(FIXED_PLACEHOLDER)?.reduce((count, match) => count + (match === '%%' ? 2 : 1), 0) ?? 0;
      if (fixed === (format.match(ANY_PLACEHOLDER)?.length ?? 0)) {
        text = format.replace(FIXED_PLACEHOLDER, (match, kind: string | undefined) => (match === '%%' ? '%' : kind === 'I' ? 'studio_placeholder' : "'studio_placeholder'"));
      }
    }
  }
  if (text === undefined) return refused;
  try {
    return destructiveStatements(text).map((what) => `${what} (EXECUTE in ${where})`);
  } catch {
    return refused;
  }
}

export interface GuardOptions {
  fridayOk?: boolean;
  /** For tests: the current time. */
  now?: Date;
  /** The database is distributed (db:distribute): the Citus rules apply too. */
  citus?: boolean;
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
    const citus = options.citus ? citusProblems(text) : [];
    if (citus.length > 0 && !CITUS_MARK.test(text)) {
      throw new MigrationGuardError(
        'MIGRATION_CITUS',
        `${entry.tag}.sql cannot run as written on this distributed (Citus) database: ${citus.join('; ')}. Nothing was migrated. ` +
          'Rewrite it (docs/scaling.md, "Rules for migrations on a distributed database"), or, if it is safe there, add a line `-- studio:citus-ok <why>`.',
      );
    }
  }
}
