/**
 * Static analysis of one SQL statement for the query guard (C4, C15), on the real Postgres
 * parser's tree: every node against allow-lists, every sub-select as a statement of its own,
 * anything unknown refused (it fails closed). Depends on the SQL text only, so it is cached by
 * text; parameter values are checked per execution against `requirements`. The tenant rule and
 * the lists: docs/scoped-client.md#what-the-guard-accepts
 */
import type {
  A_Expr,
  ColumnRef,
  DeleteStmt,
  FuncCall,
  InsertStmt,
  Node,
  OnConflictClause,
  RangeVar,
  ResTarget,
  SelectStmt,
  TypeName,
  UpdateStmt,
  WithClause,
} from 'libpg-query';
import type { TenantScopeReason } from '../errors';
import { neverAllowed } from './functions';

/** Param numbers ($n, 1-based) that must all hold the context tenant's id. */
type Candidate = number[];

export interface Requirement {
  table: string;
  /** The reference is constrained if any candidate's parameters all equal the tenant id. */
  candidates: Candidate[];
}

export type Analysis =
  | { ok: true; writes: boolean; requirements: Requirement[] }
  | { ok: false; reason: TenantScopeReason; problem: string; table?: string };

/** What a statement may touch besides its tenant tables. */
export interface GuardPolicy {
  tenantTables: ReadonlySet<string>;
  /** Platform table -> the columns a product may read; nothing of it may be written. */
  platformReadable: ReadonlyMap<string, ReadonlySet<string>>;
  /** Function names: `name` for built-ins (pg_catalog or unqualified), `schema.name` otherwise. */
  functions: ReadonlySet<string>;
}

class Refusal extends Error {
  constructor(
    readonly reason: TenantScopeReason,
    readonly problem: string,
    readonly table?: string,
  ) {
    super(problem);
  }
}

interface Ref {
  table: string;
  /** How columns name it: the alias, else the table name. */
  name: string;
  aliased: boolean;
  conjuncts: Node[];
  candidates: Candidate[];
}

/** A FROM item, by the name columns qualify it with; `columns` only for a platform table. */
interface Item {
  name: string;
  table?: string;
  aliased: boolean;
  columns?: ReadonlySet<string>;
}

interface Scope {
  refs: Ref[];
  items: Item[];
}

interface Env {
  ctes: ReadonlySet<string>;
  /** The FROM scopes a column may refer to, the innermost last (correlated sub-selects see outer ones). */
  scopes: readonly Scope[];
  /** Output column names of the SELECT whose ORDER BY is walked (ORDER BY may name them). */
  outputs?: ReadonlySet<string>;
}

/** Node kinds an expression may hold; statements, FROM items and CTEs are handled on their own. */
const EXPRESSION_KINDS = new Set([
  'A_Const', 'A_Expr', 'A_Star', 'A_Indices', 'A_Indirection', 'A_ArrayExpr', 'BoolExpr', 'BooleanTest', 'CaseExpr', 'CaseWhen',
  'CoalesceExpr', 'CollateClause', 'ColumnRef', 'FuncCall', 'GroupingFunc', 'GroupingSet', 'IndexElem', 'List', 'MinMaxExpr',
  'MultiAssignRef', 'NamedArgExpr', 'NullTest', 'ParamRef', 'ResTarget', 'RowExpr', 'SetToDefault', 'SortBy', 'SubLink', 'TypeCast',
  'WindowDef', 'SQLValueFunction', 'String', 'Integer', 'Float', 'Boolean', 'BitString', 'ReturningOption',
  'ColumnDef', // the column definitions of a function in FROM: `jsonb_to_recordset($1) as r(id uuid, n int)`
]);

const STATEMENT_KINDS = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt']);

/** Date and time only: the user and schema ones tell a tenant nothing it needs. */
const VALUE_FUNCTIONS = new Set([
  'SVFOP_CURRENT_DATE', 'SVFOP_CURRENT_TIME', 'SVFOP_CURRENT_TIME_N', 'SVFOP_CURRENT_TIMESTAMP', 'SVFOP_CURRENT_TIMESTAMP_N',
  'SVFOP_LOCALTIME', 'SVFOP_LOCALTIME_N', 'SVFOP_LOCALTIMESTAMP', 'SVFOP_LOCALTIMESTAMP_N',
]);

export function analyzeStatement(tree: { stmts?: { stmt?: Node }[] }, policy: GuardPolicy): Analysis {
  const analyzer = new Analyzer(policy);
  try {
    const stmts = tree.stmts ?? [];
    if (stmts.length !== 1 || !stmts[0]?.stmt) throw new Refusal('statement', 'send exactly one statement at a time');
    analyzer.statement(stmts[0].stmt, { ctes: new Set(), scopes: [] });
    return { ok: true, writes: analyzer.writes, requirements: analyzer.requirements };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, reason: error.reason, problem: error.problem, table: error.table };
    throw error;
  }
}

class Analyzer {
  writes = false;
  requirements: Requirement[] = [];

  constructor(private readonly policy: GuardPolicy) {}

  statement(node: Node, outer: Env): void {
    // A statement of its own: the ORDER BY output names of the one around it mean nothing here.
    const env: Env = { ctes: outer.ctes, scopes: outer.scopes };
    if ('SelectStmt' in node) return this.select(node.SelectStmt, env);
    if ('InsertStmt' in node) return this.insert(node.InsertStmt, env);
    if ('UpdateStmt' in node) return this.update(node.UpdateStmt, env);
    if ('DeleteStmt' in node) return this.delete(node.DeleteStmt, env);
    const kind = Object.keys(node)[0] ?? 'unknown';
    const what =
      kind === 'TransactionStmt'
        ? 'transaction control (use `tdb.transaction(fn)`)'
        : kind === 'VariableSetStmt'
          ? "SET (the tenant context is the scoped client's)"
          : kind.replace(/Stmt$/, '');
    throw new Refusal('statement', `${what} is not allowed through the scoped client; only SELECT, INSERT, UPDATE and DELETE are`);
  }

  /** The CTE names visible after the WITH; each CTE body is analysed with the names it can see. */
  private with(clause: WithClause | undefined, env: Env): Env {
    if (!clause?.ctes?.length) return env;
    const names = new Set(env.ctes);
    const ctes: { name: string; query: Node }[] = [];
    for (const node of clause.ctes) {
      const cte = 'CommonTableExpr' in node ? node.CommonTableExpr : undefined;
      if (!cte?.ctename || !cte.ctequery) throw new Refusal('statement', 'unsupported WITH clause');
      if (this.policy.tenantTables.has(cte.ctename)) {
        throw new Refusal('statement', `the CTE name "${cte.ctename}" shadows a tenant table; rename the CTE`, cte.ctename);
      }
      ctes.push({ name: cte.ctename, query: cte.ctequery });
      // SEARCH/CYCLE clauses name columns and hold constants: walked like expressions.
      this.walk({ search: cte.search_clause, cycle: cte.cycle_clause }, env);
    }
    // Without RECURSIVE a CTE sees only the ones before it: a later name in its body is a table.
    const all = new Set([...names, ...ctes.map((c) => c.name)]);
    for (const cte of ctes) {
      this.statement(cte.query, { ctes: clause.recursive ? all : new Set(names), scopes: env.scopes });
      names.add(cte.name);
    }
    return { ctes: all, scopes: env.scopes };
  }

  private select(s: SelectStmt, outer: Env): void {
    const env = this.with(s.withClause, outer);
    if (s.intoClause) throw new Refusal('statement', 'SELECT INTO is not allowed through the scoped client');
    if (s.op && s.op !== 'SETOP_NONE') {
      if (!s.larg || !s.rarg) throw new Refusal('statement', 'unsupported set operation');
      this.select(s.larg, env);
      this.select(s.rarg, env);
      this.rest(s, ['withClause', 'intoClause', 'op', 'all', 'larg', 'rarg', 'lockingClause'], env);
      if (s.lockingClause?.length) throw new Refusal('statement', 'FOR UPDATE/SHARE of a set operation');
      return;
    }
    const scope: Scope = { refs: [], items: [] };
    const inner: Env = { ctes: env.ctes, scopes: [...env.scopes, scope] };
    for (const item of s.fromClause ?? []) this.fromItem(item, scope, inner);
    const where = conjuncts(s.whereClause);
    for (const ref of scope.refs) ref.conjuncts.push(...where);
    this.resolve(scope);
    this.locking(s, scope);
    // An ORDER BY item that is a bare name may be an output column; inside an expression, or in
    // GROUP BY and the rest, a name is an input column first.
    const outputs = new Set((s.targetList ?? []).flatMap((t) => ('ResTarget' in t && t.ResTarget.name ? [t.ResTarget.name] : [])));
    for (const item of s.sortClause ?? []) {
      const sorted = 'SortBy' in item ? item.SortBy.node : undefined;
      const fields = sorted && 'ColumnRef' in sorted ? (sorted.ColumnRef.fields ?? []) : [];
      const bare = fields.length === 1 && fields[0] && 'String' in fields[0] ? fields[0].String.sval : undefined;
      this.walk(item, bare && outputs.has(bare) ? { ...inner, outputs: new Set([bare]) } : inner);
    }
    this.rest(s, ['withClause', 'intoClause', 'op', 'all', 'larg', 'rarg', 'fromClause', 'lockingClause', 'sortClause'], inner);
  }

  /** FOR UPDATE/SHARE: the names it lists are FROM items, not relations; platform rows are not for locking. */
  private locking(s: SelectStmt, scope: Scope): void {
    for (const node of s.lockingClause ?? []) {
      const clause = 'LockingClause' in node ? node.LockingClause : undefined;
      if (!clause) throw new Refusal('statement', 'unsupported locking clause');
      const named = (clause.lockedRels ?? []).map((r) => ('RangeVar' in r && !r.RangeVar.schemaname ? r.RangeVar.relname : undefined));
      if (named.some((n) => n === undefined)) throw new Refusal('statement', 'FOR UPDATE OF names FROM items, unqualified');
      const locked = named.length ? scope.items.filter((i) => named.includes(i.name)) : scope.items;
      const platform = locked.find((i) => i.columns);
      if (platform) throw new Refusal('relation', `platform table "${platform.table}" is read-only: its rows may not be locked`, platform.table);
    }
  }

  private insert(s: InsertStmt, outer: Env): void {
    this.writes = true;
    const env = this.with(s.withClause, outer);
    const target = s.relation;
    if (!target) throw new Refusal('statement', 'INSERT without a target');
    const table = this.writeTarget(target, env, 'INSERT into');
    const scope: Scope = { refs: [], items: [{ name: target.alias?.aliasname ?? table, table, aliased: !!target.alias }] };
    const inner: Env = { ctes: env.ctes, scopes: [...env.scopes, scope] };
    const select = s.selectStmt && 'SelectStmt' in s.selectStmt ? s.selectStmt.SelectStmt : undefined;
    const columns = (s.cols ?? []).map((c) => ('ResTarget' in c ? c.ResTarget.name : undefined));
    if (!columns.length) throw new Refusal('unscoped', 'name the inserted columns so tenant_id can be checked', table);
    const index = columns.indexOf('tenant_id');
    if (index < 0) throw new Refusal('unscoped', 'the insert does not set tenant_id', table);
    if (!select) throw new Refusal('unscoped', 'INSERT ... DEFAULT VALUES cannot carry tenant_id', table);
    if (select.valuesLists?.length) {
      for (const row of select.valuesLists) {
        const items = 'List' in row ? (row.List.items ?? []) : [];
        // Positions must match one to one: a `x.*` before tenant_id would shift the column the
        // check looks at away from the one Postgres fills.
        if (items.length !== columns.length || items.some(expandsToColumns)) {
          throw new Refusal('unscoped', 'each VALUES row must give one plain value per named column (no `*`)', table);
        }
        this.requireParam(items[index], table, 'tenant_id must be a bound parameter holding the current tenant');
      }
      // VALUES is a SELECT: its WITH, its rows, its ORDER BY/LIMIT are analysed like any other.
      this.select(select, env);
    } else {
      if (select.op && select.op !== 'SETOP_NONE') throw new Refusal('unscoped', 'INSERT ... SELECT with a set operation cannot be checked', table);
      this.select(select, env);
      const items = select.targetList ?? [];
      // One select item per named column, none a `*` (which expands to several and shifts the
      // position of tenant_id: red-team finding, `select x.*, $1 ...`).
      if (items.length !== columns.length || items.some((i) => expandsToColumns('ResTarget' in i ? i.ResTarget.val : i))) {
        throw new Refusal('unscoped', 'INSERT ... SELECT must select one plain item per named column (no `*`)', table);
      }
      const item = items[index];
      this.requireParam(item && 'ResTarget' in item ? item.ResTarget.val : undefined, table, 'INSERT ... SELECT must select tenant_id as a bound parameter holding the current tenant');
    }
    this.onConflict(s.onConflictClause, table, inner);
    this.rest(s, ['withClause', 'relation', 'selectStmt', 'onConflictClause'], inner);
  }

  private onConflict(clause: OnConflictClause | undefined, table: string, env: Env): void {
    if (!clause) return;
    if (clause.action === 'ONCONFLICT_UPDATE') {
      const keys = (clause.infer?.indexElems ?? []).map((e) => ('IndexElem' in e ? e.IndexElem.name : undefined));
      // Every unique key of a tenant table includes tenant_id (schema lint, C2), so a named
      // constraint is per tenant; an inferred key must show it.
      if (!clause.infer?.conname && !keys.includes('tenant_id')) {
        throw new Refusal('unscoped', 'ON CONFLICT ... DO UPDATE must target a unique key that includes tenant_id', table);
      }
      this.setTargets(clause.targetList, table);
    }
    this.walk(clause, env);
  }

  private update(s: UpdateStmt, outer: Env): void {
    this.writes = true;
    const env = this.with(s.withClause, outer);
    if (!s.relation) throw new Refusal('statement', 'UPDATE without a target');
    const table = this.writeTarget(s.relation, env, 'UPDATE of');
    const scope: Scope = { refs: [], items: [] };
    const inner: Env = { ctes: env.ctes, scopes: [...env.scopes, scope] };
    this.fromItem({ RangeVar: s.relation }, scope, inner);
    for (const item of s.fromClause ?? []) this.fromItem(item, scope, inner);
    const where = conjuncts(s.whereClause);
    for (const ref of scope.refs) ref.conjuncts.push(...where);
    this.resolve(scope);
    this.setTargets(s.targetList, table);
    this.rest(s, ['withClause', 'relation', 'fromClause'], inner);
  }

  private delete(s: DeleteStmt, outer: Env): void {
    this.writes = true;
    const env = this.with(s.withClause, outer);
    if (!s.relation) throw new Refusal('statement', 'DELETE without a target');
    this.writeTarget(s.relation, env, 'DELETE from');
    const scope: Scope = { refs: [], items: [] };
    const inner: Env = { ctes: env.ctes, scopes: [...env.scopes, scope] };
    this.fromItem({ RangeVar: s.relation }, scope, inner);
    for (const item of s.usingClause ?? []) this.fromItem(item, scope, inner);
    const where = conjuncts(s.whereClause);
    for (const ref of scope.refs) ref.conjuncts.push(...where);
    this.resolve(scope);
    this.rest(s, ['withClause', 'relation', 'usingClause'], inner);
  }

  /** A write goes to a tenant table only: platform tables are read-only, the rest unknown. */
  private writeTarget(rv: RangeVar, env: Env, verb: string): string {
    const name = this.relationName(rv);
    if (this.isTenantTable(rv, env.ctes)) return rv.relname!;
    if (!rv.schemaname && env.ctes.has(name)) throw new Refusal('statement', `${verb} a CTE`, name);
    if (this.policy.platformReadable.has(name) && (!rv.schemaname || rv.schemaname === 'public')) {
      throw new Refusal('relation', `platform table "${name}" is read-only for products`, name);
    }
    throw new Refusal('relation', `${verb} "${this.qualified(rv)}": not a tenant table`, this.qualified(rv));
  }

  /** SET tenant_id = ... may only write the current tenant's id back. */
  private setTargets(targets: Node[] | undefined, table: string): void {
    for (const node of targets ?? []) {
      const target: ResTarget | undefined = 'ResTarget' in node ? node.ResTarget : undefined;
      if (target?.name === 'tenant_id') this.requireParam(target.val, table, 'tenant_id may only be set to a bound parameter holding the current tenant');
    }
  }

  /** Adds the FROM item (and its tenant references) to the scope; returns its tenant references. */
  private fromItem(node: Node, scope: Scope, env: Env): Ref[] {
    if ('RangeVar' in node) {
      const rv = node.RangeVar;
      const name = this.relationName(rv);
      const alias = rv.alias?.aliasname;
      if (!rv.schemaname && env.ctes.has(name)) {
        scope.items.push({ name: alias ?? name, aliased: !!alias });
        return [];
      }
      const tenant = this.isTenantTable(rv, env.ctes);
      const columns = !tenant && (!rv.schemaname || rv.schemaname === 'public') ? this.policy.platformReadable.get(name) : undefined;
      if (!tenant && !columns) {
        const what = this.qualified(rv);
        throw new Refusal('relation', `"${what}" is not a relation products may read: only tenant tables, declared platform tables and the statement's own CTEs are`, what);
      }
      // `t AS x(a, tenant_id)` renames columns by position: the filter would apply to another column.
      if (rv.alias?.colnames?.length) throw new Refusal('statement', `a column alias list on "${name}" renames its columns; alias the columns in the select list instead`, name);
      scope.items.push({ name: alias ?? name, table: name, aliased: !!alias, columns });
      if (!tenant) return [];
      const ref: Ref = { table: name, name: alias ?? name, aliased: !!alias, conjuncts: [], candidates: [] };
      scope.refs.push(ref);
      return [ref];
    }
    if ('JoinExpr' in node) {
      const join = node.JoinExpr;
      const before = scope.items.length;
      const left = join.larg ? this.fromItem(join.larg, scope, env) : [];
      const right = join.rarg ? this.fromItem(join.rarg, scope, env) : [];
      const joined = scope.items.slice(before);
      if (joined.some((i) => i.table) && (join.alias || join.join_using_alias)) {
        throw new Refusal('statement', 'an alias on a join of tables hides which table a column belongs to; alias the tables instead');
      }
      const platform = joined.filter((i) => i.columns);
      if (join.isNatural && platform.length) throw new Refusal('column', `NATURAL JOIN with platform table "${platform[0]!.table}" compares every column; use ON`, platform[0]!.table);
      for (const using of join.usingClause ?? []) {
        const column = 'String' in using ? using.String.sval : undefined;
        const hidden = platform.find((i) => !column || !i.columns!.has(column));
        if (hidden) throw new Refusal('column', `USING (${column}) on platform table "${hidden.table}" is not one of its readable columns`, hidden.table);
      }
      if (join.quals) {
        const on = conjuncts(join.quals);
        const type = join.jointype ?? 'JOIN_INNER';
        // ON holds for every row of a side that is not preserved by an outer join.
        if (type === 'JOIN_INNER' || type === 'JOIN_RIGHT') for (const ref of left) ref.conjuncts.push(...on);
        if (type === 'JOIN_INNER' || type === 'JOIN_LEFT') for (const ref of right) ref.conjuncts.push(...on);
        this.walk(join.quals, env);
      }
      return [...left, ...right];
    }
    if ('RangeSubselect' in node) {
      const sub = node.RangeSubselect;
      if (!sub.subquery) throw new Refusal('statement', 'unsupported subquery in FROM');
      // LATERAL sees the earlier items of this FROM; a plain sub-select only the outer queries.
      this.statement(sub.subquery, sub.lateral ? env : { ctes: env.ctes, scopes: env.scopes.slice(0, -1) });
      scope.items.push({ name: sub.alias?.aliasname ?? '', aliased: true });
      return [];
    }
    if ('RangeFunction' in node) {
      const fn = node.RangeFunction;
      this.walk({ functions: fn.functions, coldeflist: fn.coldeflist }, env);
      const first = fn.functions?.[0];
      const call = first && 'List' in first ? first.List.items?.[0] : undefined;
      const fname = call && 'FuncCall' in call ? lastName(call.FuncCall.funcname) : '';
      scope.items.push({ name: fn.alias?.aliasname ?? fname, aliased: !!fn.alias });
      return [];
    }
    throw new Refusal('statement', `${Object.keys(node)[0] ?? 'this'} in FROM is not supported by the guard`);
  }

  /** Fills each reference's candidates; refuses an unconstrained one. */
  private resolve(scope: Scope): void {
    for (const ref of scope.refs) {
      for (const c of ref.conjuncts) {
        const params = this.paramFilter(c, ref, scope);
        if (params) ref.candidates.push(params);
      }
    }
    // Equality with another constrained reference of the same FROM, to a fixed point.
    for (let changed = true; changed; ) {
      changed = false;
      for (const ref of scope.refs) {
        if (ref.candidates.length) continue;
        for (const c of ref.conjuncts) {
          const other = this.equalTenantColumn(c, ref, scope);
          if (other?.candidates.length) {
            ref.candidates.push(...other.candidates);
            changed = true;
            break;
          }
        }
      }
    }
    for (const ref of scope.refs) {
      if (!ref.candidates.length) {
        throw new Refusal('unscoped', `"${ref.name}" has no \`tenant_id = <current tenant>\` filter in an AND position`, ref.table);
      }
      this.requirements.push({ table: ref.table, candidates: ref.candidates });
    }
  }

  /** `ref.tenant_id = $n`, `$n = ref.tenant_id`, `ref.tenant_id IN ($n, ...)`: the param numbers. */
  private paramFilter(node: Node, ref: Ref, scope: Scope): Candidate | undefined {
    const expr: A_Expr | undefined = 'A_Expr' in node ? node.A_Expr : undefined;
    if (!expr || operator(expr) !== '=') return undefined;
    if (expr.kind === 'AEXPR_OP') {
      for (const [col, value] of [
        [expr.lexpr, expr.rexpr],
        [expr.rexpr, expr.lexpr],
      ] as const) {
        if (this.isTenantColumn(col, ref, scope)) {
          const param = paramNumber(value);
          if (param !== undefined) return [param];
        }
      }
    }
    if (expr.kind === 'AEXPR_IN' && this.isTenantColumn(expr.lexpr, ref, scope)) {
      const items = expr.rexpr && 'List' in expr.rexpr ? (expr.rexpr.List.items ?? []) : [];
      const params = items.map(paramNumber);
      if (params.length && params.every((p) => p !== undefined)) return params as number[];
    }
    return undefined;
  }

  /** `ref.tenant_id = other.tenant_id`: the other reference. */
  private equalTenantColumn(node: Node, ref: Ref, scope: Scope): Ref | undefined {
    const expr = 'A_Expr' in node ? node.A_Expr : undefined;
    if (!expr || expr.kind !== 'AEXPR_OP' || operator(expr) !== '=') return undefined;
    for (const [mine, theirs] of [
      [expr.lexpr, expr.rexpr],
      [expr.rexpr, expr.lexpr],
    ] as const) {
      if (!this.isTenantColumn(mine, ref, scope)) continue;
      const other = scope.refs.find((r) => r !== ref && this.isTenantColumn(theirs, r, scope));
      if (other) return other;
    }
    return undefined;
  }

  private isTenantColumn(node: Node | undefined, ref: Ref, scope: Scope): boolean {
    const column: ColumnRef | undefined = node && 'ColumnRef' in node ? node.ColumnRef : undefined;
    const fields = (column?.fields ?? []).map((f) => ('String' in f ? f.String.sval : undefined));
    if (fields.at(-1) !== 'tenant_id') return false;
    if (fields.length === 1) return scope.items.length === 1 && scope.refs.length === 1;
    if (fields.length === 2) return fields[0] === ref.name;
    // `public.invoices.tenant_id` names an unaliased reference only.
    return fields.length === 3 && fields[0] === 'public' && fields[1] === ref.table && !ref.aliased;
  }

  private requireParam(node: Node | undefined, table: string, problem: string): void {
    const param = paramNumber(node);
    if (param === undefined) throw new Refusal('unscoped', problem, table);
    this.requirements.push({ table, candidates: [[param]] });
  }

  private isTenantTable(rv: RangeVar, ctes: ReadonlySet<string>): boolean {
    const name = rv.relname;
    if (!name || rv.catalogname || !this.policy.tenantTables.has(name)) return false;
    if (rv.schemaname) return rv.schemaname === 'public';
    return !ctes.has(name);
  }

  private relationName(rv: RangeVar): string {
    if (!rv.relname || rv.catalogname) throw new Refusal('relation', `"${this.qualified(rv)}" is not a relation products may read`, this.qualified(rv));
    return rv.relname;
  }

  private qualified(rv: RangeVar): string {
    return [rv.catalogname, rv.schemaname, rv.relname].filter(Boolean).join('.');
  }

  /** Walks the fields of a statement not handled by its own method. */
  private rest(s: object, handled: readonly string[], env: Env): void {
    for (const [key, value] of Object.entries(s)) if (!handled.includes(key)) this.walk(value, env);
  }

  /**
   * Walks every node under `value`: statements are analysed as statements; each node kind
   * must be one an expression may hold, and functions, operators, casts and columns are checked.
   */
  private walk(value: unknown, env: Env): void {
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const item of value) this.walk(item, env);
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      if (!/^[A-Z]/.test(key)) {
        // A field (of a node, or of a struct inlined in one: a window's OVER, a RETURNING).
        this.walk(child, env);
      } else if (STATEMENT_KINDS.has(key)) {
        this.statement({ [key]: child } as Node, env);
      } else if (key === 'RangeVar') {
        const rv = child as RangeVar;
        throw new Refusal(this.isTenantTable(rv, env.ctes) ? 'unscoped' : 'relation', 'a relation in a position the guard cannot check', rv.relname);
      } else if (!EXPRESSION_KINDS.has(key)) {
        throw new Refusal('statement', `${key} is not supported by the guard`);
      } else {
        this.expression(key, child as Record<string, unknown>, env);
      }
    }
  }

  private expression(kind: string, node: Record<string, unknown>, env: Env): void {
    switch (kind) {
      case 'FuncCall':
        this.func(node as FuncCall);
        break;
      case 'TypeCast':
        this.cast((node as { typeName?: TypeName }).typeName);
        break;
      case 'ColumnRef':
        this.column(node as ColumnRef, env);
        return;
      case 'A_Expr':
        this.operatorName((node as A_Expr).name);
        break;
      case 'SubLink':
        this.operatorName((node as { operName?: Node[] }).operName);
        break;
      case 'SortBy':
        this.operatorName((node as { useOp?: Node[] }).useOp);
        break;
      case 'ColumnDef': {
        const def = node as { typeName?: TypeName; raw_default?: unknown; constraints?: unknown[]; collClause?: unknown };
        if (def.raw_default || def.constraints?.length) throw new Refusal('statement', 'a column definition with a default or constraints');
        this.cast(def.typeName);
        return;
      }
      case 'SQLValueFunction': {
        const op = String(node.op);
        if (!VALUE_FUNCTIONS.has(op)) throw new Refusal('function', `${op.replace(/^SVFOP_/, '').toLowerCase()} is not allowed`);
        return;
      }
    }
    this.walk(node, env);
  }

  private func(call: FuncCall): void {
    const names = (call.funcname ?? []).map((n) => ('String' in n ? n.String.sval : undefined));
    if (names.some((n) => n === undefined)) throw new Refusal('function', 'a function call the guard cannot name');
    const key = names.length === 2 && names[0] === 'pg_catalog' ? names[1]! : names.join('.');
    if (this.policy.functions.has(key)) return;
    const never = neverAllowed(names.at(-1)!);
    const shown = names.join('.');
    throw new Refusal(
      'function',
      never
        ? `function ${shown}() is not allowed: ${never}`
        : `function ${shown}() is not on the guard's allow-list; add it to allowFunctions in the app's createDatabase config if it runs no SQL and has no side effects`,
    );
  }

  private cast(type: TypeName | undefined): void {
    const names = (type?.names ?? []).map((n) => ('String' in n ? n.String.sval : undefined));
    const name = names.at(-1);
    const schema = names.length > 1 ? names[0] : undefined;
    if (!name || names.length > 2 || (schema !== undefined && schema !== 'pg_catalog' && schema !== 'public')) {
      throw new Refusal('function', `a cast to ${names.join('.')} is not allowed`);
    }
    // reg* input functions look names up in the catalogs ('pg_authid'::regclass), aclitem's
    // looks up roles; xml parses documents. `_x` is the array type of x ('{pg_authid}'::_regclass).
    const element = name.replace(/^_+/, '');
    if (/^reg[a-z]*$/.test(element) || element === 'xml' || element === 'aclitem') {
      throw new Refusal('function', `a cast to ${name} is not allowed: it reads the catalogs`);
    }
  }

  /** Operators are functions too: only the built-in ones (unqualified or pg_catalog). */
  private operatorName(name: Node[] | undefined): void {
    if (!name || name.length < 2) return;
    const schema = name[0] && 'String' in name[0] ? name[0].String.sval : undefined;
    if (name.length > 2 || schema !== 'pg_catalog') {
      const shown = name.map((n) => ('String' in n ? n.String.sval : '?')).join('.');
      throw new Refusal('function', `operator ${shown} is not allowed: only built-in operators are`);
    }
  }

  /** A platform table's columns: only those declared readable, never `*` or the whole row. */
  private column(ref: ColumnRef, env: Env): void {
    const fields = (ref.fields ?? []).map((f) => ('String' in f ? f.String.sval : 'A_Star' in f ? '*' : undefined));
    if (fields.some((f) => f === undefined)) throw new Refusal('column', 'a column reference the guard cannot name');
    const names = fields as string[];
    const column = names.at(-1)!;
    if (names.length === 1) {
      const current = env.scopes.at(-1);
      if (column === '*') {
        const platform = current?.items.find((i) => i.columns);
        if (platform) throw new Refusal('column', `\`*\` would read every column of platform table "${platform.table}"; name its readable columns`, platform.table);
        return;
      }
      if (env.outputs?.has(column)) return;
      for (const scope of env.scopes) {
        for (const item of scope.items) {
          if (!item.columns) continue;
          if (item.name === column) throw new Refusal('column', `"${column}" is the whole row of platform table "${item.table}"; name its readable columns`, item.table);
          if (!item.columns.has(column)) {
            throw new Refusal('column', `column "${column}" is not a readable column of platform table "${item.table}"; if it belongs to another table, qualify it`, item.table);
          }
        }
      }
      return;
    }
    const item = this.qualifier(names, env);
    if (!item?.columns) return;
    if (column === '*') throw new Refusal('column', `\`${names.join('.')}\` would read every column of platform table "${item.table}"; name its readable columns`, item.table);
    if (!item.columns.has(column)) throw new Refusal('column', `column "${column}" of platform table "${item.table}" is not declared readable`, item.table);
  }

  /** The FROM item `a.col` or `public.t.col` names, innermost scope first. */
  private qualifier(names: string[], env: Env): Item | undefined {
    const relation = names.at(-2)!;
    const schema = names.length >= 3 ? names.at(-3) : undefined;
    for (const scope of [...env.scopes].reverse()) {
      const item = scope.items.find((i) => (schema === undefined ? i.name === relation : i.table === relation && !i.aliased));
      if (item) return item;
    }
    return undefined;
  }
}

function conjuncts(node: Node | undefined): Node[] {
  if (!node) return [];
  if ('BoolExpr' in node && node.BoolExpr.boolop === 'AND_EXPR') return (node.BoolExpr.args ?? []).flatMap(conjuncts);
  return [node];
}

function operator(expr: A_Expr): string | undefined {
  const name = expr.name ?? [];
  const last = name.at(-1);
  // Only the built-in operator: `OPERATOR(myschema.=)` could mean anything.
  if (name.length === 2 && !(name[0] && 'String' in name[0] && name[0].String.sval === 'pg_catalog')) return undefined;
  return last && 'String' in last ? last.String.sval : undefined;
}

function paramNumber(node: Node | undefined): number | undefined {
  if (!node) return undefined;
  if ('ParamRef' in node) return node.ParamRef.number;
  if ('TypeCast' in node) return paramNumber(node.TypeCast.arg);
  return undefined;
}

function lastName(names: Node[] | undefined): string {
  const last = names?.at(-1);
  return last && 'String' in last ? last.String.sval ?? '' : '';
}

/** A target or VALUES item that stands for several columns: `*`, `t.*`, `(expr).*`. */
function expandsToColumns(node: Node | undefined): boolean {
  if (!node) return false;
  if ('ColumnRef' in node) return (node.ColumnRef.fields ?? []).some((f) => 'A_Star' in f);
  if ('A_Indirection' in node) return (node.A_Indirection.indirection ?? []).some((f) => 'A_Star' in f);
  return false;
}
