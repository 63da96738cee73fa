/**
 * A select built per call (`tdb.select().from(invoices).where(eq(invoices.id, id))`) reuses the
 * text drizzle built for the first select of the same shape: the same tables, columns, operators
 * and literal SQL, whatever the values. Building the text took most of a point read's client time
 * (drizzle makes SQL chunks for every column and operator, then walks and escapes them all again);
 * reading a query's shape is a short walk of what the builder recorded.
 *
 * The shape is read from drizzle's own records (the select's config and its SQL chunks), and only
 * for the chunk kinds listed in `walk`: anything else (a subquery, a view, an aliased expression,
 * inlined parameters, a value that maps to SQL, DISTINCT, WITH, set operators, locking) is built by
 * drizzle as before, every time. The first build of a shape is checked before its text is kept:
 * the kept text with this call's parameters put back must give drizzle's own text and parameters
 * exactly, or the shape is never cached. The query guard then checks the text as always.
 * docs/scoped-client.md#built-per-call
 */
import { isDeepStrictEqual } from 'node:util';
import { Column, getTableColumns, is, Name, Param, Placeholder, SQL, StringChunk, Table } from 'drizzle-orm';
import { PgDialect, PgTable, type PgSelectConfig } from 'drizzle-orm/pg-core';

/** Trie nodes kept; past this the cache starts again (shapes made per call, by an alias say, would grow it without end). */
const MAX_NODES = 50_000;

/** Stands for a parameter in the text drizzle builds for a shape: Postgres refuses NUL in a statement, so no real text holds one. */
const MARK = '\u0000';

/**
 * A shape is a path in a trie: one step per token, each token an object (a table, a column, one of
 * the markers below) or a string that follows a marker saying what it is. Reading a shape costs
 * a Map look-up per token and builds no key.
 */
class Node {
  readonly next = new Map<unknown, Node>();
  /** At the end of a shape: its kept query; null: drizzle builds this shape every time. */
  kept?: Kept | null;
}

/** Tokens: what comes next, or a part of the statement. */
const TEXT = Symbol('text');
const NAME = Symbol('name');
const OPEN = Symbol('(');
const CLOSE = Symbol(')');
const ITEM = Symbol(',');
const LIST = Symbol('[');
const VALUE = Symbol('value');
const PARAM = Symbol('param');
const PLACEHOLDER = Symbol('placeholder');
const ALL = Symbol('all columns');
const FIELD = Symbol('field');
const JOIN = Symbol('join');
const LATERAL = Symbol('lateral');
const WHERE = Symbol('where');
const ORDER = Symbol('order by');
const LIMIT = Symbol('limit');
const NO_LIMIT = Symbol('no limit');
const OFFSET = Symbol('offset');
const NO_OFFSET = Symbol('no offset');

interface Walk {
  node: Node;
  /** The parameters in the order drizzle numbers them: Param chunks, placeholders and plain values, as drizzle would meet them. */
  params: unknown[];
  /** Nodes this walk added to the trie (its owner counts them against MAX_NODES). */
  added: number;
}


const enum Kind {
  Text,
  Name,
  Sql,
  Table,
  Column,
  Param,
  Placeholder,
  Other,
}

/** Each chunk class's kind, found once with drizzle's `is` (which walks the class chain), in the order drizzle tests them. */
const kinds = new Map<unknown, Kind>();

function kindOf(chunk: object): Kind {
  const ctor = chunk.constructor;
  let kind = kinds.get(ctor);
  if (kind === undefined) {
    kind = is(chunk, StringChunk)
      ? Kind.Text
      : is(chunk, Name)
        ? Kind.Name
        : is(chunk, SQL)
          ? Kind.Sql
          : is(chunk, Table)
            ? Kind.Table
            : is(chunk, Column)
              ? Kind.Column
              : is(chunk, Param)
                ? Kind.Param
                : is(chunk, Placeholder)
                  ? Kind.Placeholder
                  : Kind.Other;
    kinds.set(ctor, kind);
  }
  return kind;
}

/** One step along the trie. */
function step(w: Walk, token: unknown): void {
  let next = w.node.next.get(token);
  if (!next) {
    next = new Node();
    w.node.next.set(token, next);
    w.added++;
  }
  w.node = next;
}

/** A StringChunk's text: drizzle joins its parts; sql`...` makes one-part chunks of its template's strings. */
const chunkText = (chunk: StringChunk) => (chunk.value.length === 1 ? chunk.value[0]! : chunk.value.join(''));

/**
 * Adds `chunk` to the shape as drizzle's SQL#buildQueryFromSourceParams would render it; false
 * for anything this does not know (the query is then built by drizzle). A string token always
 * follows a marker saying what it is, so two shapes that render differently never meet.
 */
function walk(w: Walk, chunk: unknown): boolean {
  if (chunk === undefined) return true;
  if (chunk === null || typeof chunk === 'string' || typeof chunk === 'number' || typeof chunk === 'boolean' || typeof chunk === 'bigint') {
    // A plain value in sql`...` is a parameter of its own.
    step(w, VALUE);
    w.params.push(chunk);
    return true;
  }
  if (typeof chunk !== 'object') return false;
  if (Array.isArray(chunk)) {
    step(w, LIST);
    for (const item of chunk) {
      if (!walk(w, item)) return false;
      step(w, ITEM);
    }
    step(w, CLOSE);
    return true;
  }
  switch (kindOf(chunk)) {
    case Kind.Text:
      step(w, TEXT);
      step(w, chunkText(chunk as StringChunk));
      return true;
    case Kind.Name:
      step(w, NAME);
      step(w, (chunk as Name).value);
      return true;
    case Kind.Sql: {
      // sql`...`.inlineParams(): the values are written into the text.
      if ((chunk as unknown as { shouldInlineParams: boolean }).shouldInlineParams) return false;
      step(w, OPEN);
      for (const item of (chunk as SQL).queryChunks) if (!walk(w, item)) return false;
      step(w, CLOSE);
      return true;
    }
    case Kind.Table:
    case Kind.Column:
      // By object: a table's or column's name and table are fixed when it is made.
      step(w, chunk);
      return true;
    case Kind.Param: {
      const param = chunk as Param;
      if (!is(param.value, Placeholder)) {
        // A custom type may write its value as SQL (drizzle then renders that SQL): not a parameter.
        const mapped: unknown = param.value === null ? null : param.encoder.mapToDriverValue(param.value);
        if (mapped !== null && typeof mapped === 'object' && is(mapped, SQL)) return false;
      }
      step(w, PARAM);
      w.params.push(chunk);
      return true;
    }
    case Kind.Placeholder:
      step(w, PLACEHOLDER);
      w.params.push(chunk);
      return true;
    default:
      return false;
  }
}

const columnNames = new WeakMap<PgTable, string[]>();

/** Whether `fields` are `table`'s own columns in their own order, as `select()` with no argument records them (a copy each call). */
function allColumnsOf(table: PgTable, fields: Record<string, unknown>): boolean {
  const columns = getTableColumns(table) as Record<string, unknown>;
  let names = columnNames.get(table);
  if (!names) columnNames.set(table, (names = Object.keys(columns)));
  let i = 0;
  for (const name in fields) {
    if (name !== names[i] || fields[name] !== columns[name]) return false;
    i++;
  }
  return i === names.length;
}

/** The selected fields: plain columns, or the per-table groups of a join's default selection. */
function walkFields(w: Walk, fields: Record<string, unknown>): boolean {
  step(w, OPEN);
  for (const name in fields) {
    const field = fields[name];
    step(w, FIELD);
    step(w, name);
    if (is(field, Column)) step(w, field);
    else if (field !== null && typeof field === 'object' && Object.getPrototypeOf(field) === Object.prototype) {
      if (!walkFields(w, field as Record<string, unknown>)) return false;
    } else return false;
  }
  step(w, CLOSE);
  return true;
}

/**
 * Walks `w` along the shape of a select, in the order drizzle's buildSelectQuery writes its parts;
 * undefined when drizzle should build it (the nodes added before that are counted in `w` all the same).
 */
function shapeOf(w: Walk, config: PgSelectConfig, where: PgSelectConfig['where'], joins: PgSelectConfig['joins']): Walk | undefined {
  if (config.withList?.length || config.distinct || config.setOperators.length || config.lockingClause || config.fieldsFlat || config.having || config.groupBy?.length) {
    return undefined;
  }
  if (!is(config.table, PgTable)) return undefined;
  step(w, config.table);
  // The common case, `select()` of one table, without a step per column.
  if (!joins?.length && allColumnsOf(config.table, config.fields)) step(w, ALL);
  else if (!walkFields(w, config.fields)) return undefined;
  for (const join of joins ?? []) {
    if (!is(join.table, PgTable)) return undefined;
    step(w, JOIN);
    step(w, join.joinType);
    if (join.lateral) step(w, LATERAL);
    step(w, NAME);
    step(w, join.alias ?? '');
    step(w, join.table);
    if (!walk(w, join.on)) return undefined;
  }
  step(w, WHERE);
  if (!walk(w, where)) return undefined;
  step(w, ORDER);
  for (const item of config.orderBy ?? []) {
    if (!walk(w, item)) return undefined;
    step(w, ITEM);
  }
  // drizzle writes ` limit ${limit}` for a placeholder or a number >= 0, ` offset ${offset}` when truthy.
  const { limit, offset } = config;
  if (limit === undefined || (typeof limit === 'number' && limit < 0)) step(w, NO_LIMIT);
  else if (typeof limit === 'number' || is(limit, Placeholder)) {
    step(w, LIMIT);
    w.params.push(limit);
  } else return undefined;
  if (offset !== undefined && typeof offset !== 'number' && !is(offset, Placeholder)) return undefined;
  if (offset) {
    step(w, OFFSET);
    w.params.push(offset);
  } else step(w, NO_OFFSET);
  return w;
}

/** A shape's statement: drizzle's text, and that text split where the parameters go. */
interface Kept {
  text: string;
  pieces: readonly string[];
}

/** The pieces with this call's parameters between them, as drizzle chunks. */
function interleave(pieces: readonly string[], params: readonly unknown[]): unknown[] {
  const chunks: unknown[] = [new StringChunk(pieces[0]!)];
  for (let i = 0; i < params.length; i++) chunks.push(params[i], new StringChunk(pieces[i + 1]!));
  return chunks;
}

/**
 * A select of a kept shape. As a chunk of another statement (a subquery), it is the kept pieces
 * and this call's parameters, rendered by drizzle like any SQL; as a statement of its own, the
 * dialect answers with the kept text and the parameters mapped as drizzle maps them, with no walk.
 */
class KeptSQL extends SQL {
  constructor(
    readonly kept: Kept,
    readonly params: readonly unknown[],
  ) {
    super(interleave(kept.pieces, params) as never);
  }
}

/** A parameter's value as drizzle's sqlToQuery gives it (a placeholder stays, for execute() to fill). */
function driverValue(chunk: unknown): unknown {
  if (chunk === null || typeof chunk !== 'object' || kindOf(chunk) !== Kind.Param) return chunk;
  const { value, encoder } = chunk as Param;
  if (value === null) return null;
  return is(value, Placeholder) ? chunk : encoder.mapToDriverValue(value);
}

/** Selects built by `dialect`, their text kept by shape. */
export class SelectShapes {
  #root = new Node();
  /** Nodes in the trie, and shapes whose text is kept: counted as they are added. */
  #nodes = 0;
  #kept = 0;
  readonly #marking: PgDialect;
  readonly #sqlToQuery: PgDialect['sqlToQuery'];

  constructor(
    private readonly dialect: PgDialect,
    /** Past this many trie nodes the cache starts again (smaller in tests). */
    private readonly maxNodes = MAX_NODES,
  ) {
    // The same rendering, with each parameter written as MARK: where the pieces split.
    this.#marking = new PgDialect();
    (this.#marking as unknown as { escapeParam: () => string }).escapeParam = () => MARK;
    // A kept select needs no walk: its text is known, only its parameters are this call's.
    const render = dialect.sqlToQuery.bind(dialect);
    this.#sqlToQuery = render;
    dialect.sqlToQuery = ((query: SQL, invokeSource?: never) =>
      query instanceof KeptSQL && invokeSource === undefined
        ? { sql: query.kept.text, params: query.params.map(driverValue) }
        : render(query, invokeSource)) as PgDialect['sqlToQuery'];
  }

  /**
   * The select of drizzle's `config`, with `where` and `joins` in place of its own (the tenant's
   * filters added): given apart, since a copy of the config made for them was slower to read.
   */
  build(config: PgSelectConfig, where = config.where, joins = config.joins): SQL {
    if (this.#nodes >= this.maxNodes) {
      this.#root = new Node();
      this.#nodes = 0;
      this.#kept = 0;
    }
    const w: Walk = { node: this.#root, params: [], added: 0 };
    const shape = shapeOf(w, config, where, joins);
    this.#nodes += w.added;
    const kept = shape?.node.kept;
    if (kept) return new KeptSQL(kept, shape.params);
    const built = this.dialect.buildSelectQuery(where === config.where && joins === config.joins ? config : { ...config, where, joins });
    if (shape && kept === undefined) {
      shape.node.kept = this.#check(built, shape.params);
      if (shape.node.kept) this.#kept++;
    }
    return built;
  }

  /** drizzle's text for `built`, split where its parameters go, if putting `params` back gives drizzle's own query exactly. */
  #check(built: SQL, params: readonly unknown[]): Kept | null {
    const pieces = this.#marking.sqlToQuery(built).sql.split(MARK);
    if (pieces.length !== params.length + 1) return null;
    const expected = this.#sqlToQuery(built);
    const rebuilt = this.#sqlToQuery(new SQL(interleave(pieces, params) as never));
    if (rebuilt.sql !== expected.sql || !isDeepStrictEqual(rebuilt.params, expected.params)) return null;
    // The fast path maps the values itself: it must agree with drizzle too.
    if (!isDeepStrictEqual(params.map(driverValue), expected.params)) return null;
    return { text: expected.sql, pieces };
  }

  /** Shapes kept (tests). */
  get size(): number {
    return this.#kept;
  }

  /** Nodes in the trie, bounded by maxNodes (tests). */
  get nodeCount(): number {
    return this.#nodes;
  }
}
