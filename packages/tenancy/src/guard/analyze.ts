/**
 * Static analysis of one SQL statement for the query guard (C4), on the tree of the real
 * Postgres parser (libpg-query). The result depends on the SQL text only, so it is cached by
 * text; the parameter values are checked per execution against `requirements`.
 *
 * The rule: every reference to a tenant table must be constrained by `<ref>.tenant_id = $n`
 * (or `IN ($n, ...)`) in an AND position that holds for every row of that table in the result:
 * - a top-level conjunct of the statement's WHERE;
 * - a top-level conjunct of the ON of a join where the table is on an inner side (INNER, or
 *   the nullable side of LEFT/RIGHT; never FULL, never the preserved side);
 * - `<ref>.tenant_id = <other>.tenant_id` in such a position, where <other> is a reference of
 *   the same FROM that is itself constrained.
 * Inserts name `tenant_id` and bind it to a parameter; updates may only set it to a parameter.
 * Anything the analysis does not understand is refused: the guard fails closed.
 */
import type {
  A_Expr,
  ColumnRef,
  DeleteStmt,
  InsertStmt,
  Node,
  OnConflictClause,
  RangeVar,
  ResTarget,
  SelectStmt,
  UpdateStmt,
  WithClause,
} from 'libpg-query';

/** Param numbers ($n, 1-based) that must all hold the context tenant's id. */
type Candidate = number[];

export interface Requirement {
  table: string;
  /** The reference is constrained if any candidate's parameters all equal the tenant id. */
  candidates: Candidate[];
}

export type Analysis =
  | { ok: true; writes: boolean; requirements: Requirement[] }
  | { ok: false; problem: string; table?: string };

class Refusal extends Error {
  constructor(
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
  conjuncts: Node[];
  candidates: Candidate[];
}

interface Scope {
  refs: Ref[];
  /** FROM items of any kind, to know when an unqualified `tenant_id` is unambiguous. */
  items: number;
}

const STATEMENT_KEYS = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt']);

export function analyzeStatement(tree: { stmts?: { stmt?: Node }[] }, tenantTables: ReadonlySet<string>): Analysis {
  const analyzer = new Analyzer(tenantTables);
  try {
    const stmts = tree.stmts ?? [];
    if (stmts.length !== 1 || !stmts[0]?.stmt) throw new Refusal('send exactly one statement at a time');
    analyzer.statement(stmts[0].stmt, new Set(), true);
    return { ok: true, writes: analyzer.writes, requirements: analyzer.requirements };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, problem: error.problem, table: error.table };
    throw error;
  }
}

class Analyzer {
  writes = false;
  requirements: Requirement[] = [];

  constructor(private readonly tenantTables: ReadonlySet<string>) {}

  statement(node: Node, ctes: ReadonlySet<string>, topLevel = false): void {
    if ('SelectStmt' in node) return this.select(node.SelectStmt, ctes);
    if ('InsertStmt' in node) return this.insert(node.InsertStmt, ctes);
    if ('UpdateStmt' in node) return this.update(node.UpdateStmt, ctes);
    if ('DeleteStmt' in node) return this.delete(node.DeleteStmt, ctes);
    if (topLevel && 'ExplainStmt' in node && node.ExplainStmt.query) return this.statement(node.ExplainStmt.query, ctes);
    const kind = Object.keys(node)[0] ?? 'unknown';
    const what = kind === 'TransactionStmt' ? 'transaction control (use `tdb.transaction(fn)`)' : kind === 'VariableSetStmt' ? 'SET (the tenant context is the scoped client\'s)' : kind;
    throw new Refusal(`${what} is not allowed through the scoped client; only SELECT, INSERT, UPDATE and DELETE are`);
  }

  private with(clause: WithClause | undefined, outer: ReadonlySet<string>): ReadonlySet<string> {
    if (!clause?.ctes?.length) return outer;
    const names = new Set(outer);
    const queries: Node[] = [];
    for (const node of clause.ctes) {
      const cte = 'CommonTableExpr' in node ? node.CommonTableExpr : undefined;
      if (!cte?.ctename || !cte.ctequery) throw new Refusal('unsupported WITH clause');
      if (this.tenantTables.has(cte.ctename)) {
        throw new Refusal(`the CTE name "${cte.ctename}" shadows a tenant table; rename the CTE`, cte.ctename);
      }
      names.add(cte.ctename);
      queries.push(cte.ctequery);
    }
    for (const query of queries) this.statement(query, names);
    return names;
  }

  private select(s: SelectStmt, outer: ReadonlySet<string>): void {
    const ctes = this.with(s.withClause, outer);
    if (s.intoClause) throw new Refusal('SELECT INTO is not allowed through the scoped client');
    if (s.op && s.op !== 'SETOP_NONE') {
      if (!s.larg || !s.rarg) throw new Refusal('unsupported set operation');
      this.select(s.larg, ctes);
      this.select(s.rarg, ctes);
      this.walk([s.sortClause, s.limitCount, s.limitOffset], ctes);
      return;
    }
    const scope: Scope = { refs: [], items: 0 };
    for (const item of s.fromClause ?? []) this.fromItem(item, scope, ctes);
    const where = conjuncts(s.whereClause);
    for (const ref of scope.refs) ref.conjuncts.push(...where);
    this.resolve(scope);
    // lockingClause (FOR UPDATE OF t) names FROM items only: not walked, it adds no reference.
    this.walk(
      [s.targetList, s.whereClause, s.groupClause, s.havingClause, s.windowClause, s.sortClause, s.limitCount, s.limitOffset, s.distinctClause, s.valuesLists],
      ctes,
    );
  }

  private insert(s: InsertStmt, outer: ReadonlySet<string>): void {
    this.writes = true;
    const ctes = this.with(s.withClause, outer);
    const target = s.relation;
    if (!target) throw new Refusal('INSERT without a target');
    const tenant = this.isTenantTable(target, ctes);
    const select = s.selectStmt && 'SelectStmt' in s.selectStmt ? s.selectStmt.SelectStmt : undefined;
    if (tenant) {
      const table = target.relname!;
      const columns = (s.cols ?? []).map((c) => ('ResTarget' in c ? c.ResTarget.name : undefined));
      if (!columns.length) throw new Refusal('name the inserted columns so tenant_id can be checked', table);
      const index = columns.indexOf('tenant_id');
      if (index < 0) throw new Refusal('the insert does not set tenant_id', table);
      if (!select) throw new Refusal('INSERT ... DEFAULT VALUES cannot carry tenant_id', table);
      if (select.valuesLists?.length) {
        for (const row of select.valuesLists) {
          const items = 'List' in row ? (row.List.items ?? []) : [];
          this.requireParam(items[index], table, 'tenant_id must be a bound parameter holding the current tenant');
        }
        this.walk(select.valuesLists, ctes);
      } else {
        if (select.op && select.op !== 'SETOP_NONE') throw new Refusal('INSERT ... SELECT with a set operation cannot be checked', table);
        this.select(select, ctes);
        const item = select.targetList?.[index];
        this.requireParam(item && 'ResTarget' in item ? item.ResTarget.val : undefined, table, 'INSERT ... SELECT must select tenant_id as a bound parameter holding the current tenant');
      }
      this.onConflict(s.onConflictClause, table, ctes);
    } else {
      if (s.selectStmt) this.statement(s.selectStmt, ctes);
      this.walk([s.onConflictClause], ctes);
    }
    this.walk([s.returningClause], ctes);
  }

  private onConflict(clause: OnConflictClause | undefined, table: string, ctes: ReadonlySet<string>): void {
    if (!clause || clause.action !== 'ONCONFLICT_UPDATE') return;
    const keys = (clause.infer?.indexElems ?? []).map((e) => ('IndexElem' in e ? e.IndexElem.name : undefined));
    // Every unique key of a tenant table includes tenant_id (schema lint, C2), so a named
    // constraint is per tenant; an inferred key must show it.
    if (!clause.infer?.conname && !keys.includes('tenant_id')) {
      throw new Refusal('ON CONFLICT ... DO UPDATE must target a unique key that includes tenant_id', table);
    }
    this.setTargets(clause.targetList, table);
    this.walk([clause.targetList, clause.whereClause], ctes);
  }

  private update(s: UpdateStmt, outer: ReadonlySet<string>): void {
    this.writes = true;
    const ctes = this.with(s.withClause, outer);
    if (!s.relation) throw new Refusal('UPDATE without a target');
    const scope: Scope = { refs: [], items: 0 };
    this.fromItem({ RangeVar: s.relation }, scope, ctes);
    for (const item of s.fromClause ?? []) this.fromItem(item, scope, ctes);
    const where = conjuncts(s.whereClause);
    for (const ref of scope.refs) ref.conjuncts.push(...where);
    this.resolve(scope);
    if (this.isTenantTable(s.relation, ctes)) this.setTargets(s.targetList, s.relation.relname!);
    this.walk([s.targetList, s.whereClause, s.returningClause], ctes);
  }

  private delete(s: DeleteStmt, outer: ReadonlySet<string>): void {
    this.writes = true;
    const ctes = this.with(s.withClause, outer);
    if (!s.relation) throw new Refusal('DELETE without a target');
    const scope: Scope = { refs: [], items: 0 };
    this.fromItem({ RangeVar: s.relation }, scope, ctes);
    for (const item of s.usingClause ?? []) this.fromItem(item, scope, ctes);
    const where = conjuncts(s.whereClause);
    for (const ref of scope.refs) ref.conjuncts.push(...where);
    this.resolve(scope);
    this.walk([s.whereClause, s.returningClause], ctes);
  }

  /** SET tenant_id = ... may only write the current tenant's id back. */
  private setTargets(targets: Node[] | undefined, table: string): void {
    for (const node of targets ?? []) {
      const target: ResTarget | undefined = 'ResTarget' in node ? node.ResTarget : undefined;
      if (target?.name === 'tenant_id') this.requireParam(target.val, table, 'tenant_id may only be set to a bound parameter holding the current tenant');
    }
  }

  /** Adds the FROM item's tenant references to the scope and returns them. */
  private fromItem(node: Node, scope: Scope, ctes: ReadonlySet<string>): Ref[] {
    if ('RangeVar' in node) {
      scope.items++;
      const rv = node.RangeVar;
      if (!this.isTenantTable(rv, ctes)) return [];
      const ref: Ref = { table: rv.relname!, name: rv.alias?.aliasname ?? rv.relname!, conjuncts: [], candidates: [] };
      scope.refs.push(ref);
      return [ref];
    }
    if ('JoinExpr' in node) {
      const join = node.JoinExpr;
      const left = join.larg ? this.fromItem(join.larg, scope, ctes) : [];
      const right = join.rarg ? this.fromItem(join.rarg, scope, ctes) : [];
      if (join.quals) {
        const on = conjuncts(join.quals);
        const type = join.jointype ?? 'JOIN_INNER';
        // ON holds for every row of a side that is not preserved by an outer join.
        if (type === 'JOIN_INNER' || type === 'JOIN_RIGHT') for (const ref of left) ref.conjuncts.push(...on);
        if (type === 'JOIN_INNER' || type === 'JOIN_LEFT') for (const ref of right) ref.conjuncts.push(...on);
        this.walk(join.quals, ctes);
      }
      return [...left, ...right];
    }
    scope.items++;
    if ('RangeSubselect' in node) {
      const sub = node.RangeSubselect.subquery;
      if (!sub) throw new Refusal('unsupported subquery in FROM');
      this.statement(sub, ctes);
      return [];
    }
    // Functions, VALUES lists, table samples: no direct reference, but walk for nested ones.
    this.walk(node, ctes);
    return [];
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
        throw new Refusal(`"${ref.name}" has no \`tenant_id = <current tenant>\` filter in an AND position`, ref.table);
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
    if (fields.length === 1) return scope.items === 1 && scope.refs.length === 1;
    return fields.at(-2) === ref.name && (fields.length === 2 || (fields.length === 3 && fields[0] === 'public'));
  }

  private requireParam(node: Node | undefined, table: string, problem: string): void {
    const param = paramNumber(node);
    if (param === undefined) throw new Refusal(problem, table);
    this.requirements.push({ table, candidates: [[param]] });
  }

  private isTenantTable(rv: RangeVar, ctes: ReadonlySet<string>): boolean {
    const name = rv.relname;
    if (!name || !this.tenantTables.has(name)) return false;
    if (rv.schemaname) return rv.schemaname === 'public';
    return !ctes.has(name);
  }

  /**
   * Walks expressions for nested statements (subqueries in WHERE, SELECT lists, VALUES...).
   * A tenant table met anywhere other than a FROM/target position is refused.
   */
  private walk(value: unknown, ctes: ReadonlySet<string>): void {
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const item of value) this.walk(item, ctes);
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      if (STATEMENT_KEYS.has(key)) {
        this.statement({ [key]: child } as Node, ctes);
      } else if (key === 'RangeVar') {
        const rv = child as RangeVar;
        if (this.isTenantTable(rv, ctes)) throw new Refusal('tenant table in a position the guard cannot check', rv.relname);
      } else if (key === 'FuncCall') {
        const names = ((child as { funcname?: Node[] }).funcname ?? []).map((n) => ('String' in n ? n.String.sval : ''));
        if (names.at(-1) === 'set_config') throw new Refusal('set_config is not allowed: the tenant context belongs to the scoped client');
        this.walk(child, ctes);
      } else {
        this.walk(child, ctes);
      }
    }
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
