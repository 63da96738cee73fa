import { getTableConfig, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';
import { getTableKind, tablesOf } from '../schema/util/table-kinds';

/**
 * The schema lint (C1, C2): reads the drizzle schema and names every table that breaks the
 * tenancy contract, with the rule it breaks and what to do instead.
 */

export type SchemaRule =
  | 'declared-scope'
  | 'platform-reason'
  | 'tenant-id-column'
  | 'tenant-index'
  | 'tenant-primary-key'
  | 'tenant-unique-key'
  | 'composite-foreign-key'
  | 'secret-column';

export interface SchemaViolation {
  table: string;
  rule: SchemaRule;
  message: string;
}

const TENANT_ID = 'tenant_id';

const names = (columns: PgColumn[]) => columns.map((column) => column.name);

export function lintSchema(schema: Record<string, unknown>): SchemaViolation[] {
  const tables = tablesOf(schema);
  const tenantTables = new Set(tables.filter((table) => getTableKind(table)?.kind === 'tenant'));
  return tables.flatMap((table) => lintTable(table, tenantTables));
}

function lintTable(table: PgTable, tenantTables: Set<PgTable>): SchemaViolation[] {
  const config = getTableConfig(table);
  const name = config.name;
  const kind = getTableKind(table);
  const out: SchemaViolation[] = [];
  const fail = (rule: SchemaRule, message: string) => out.push({ table: name, rule, message });

  if (!kind) {
    fail(
      'declared-scope',
      `Table "${name}" is neither tenant-scoped nor declared platform-level. Define it with tenantTable(...) ` +
        `(it then gets tenant_id, the composite key and the index) or platformTable(..., { reason }).`,
    );
    return out;
  }
  for (const secret of kind.secretColumns ?? []) {
    if (!config.columns.some((column) => column.name === secret)) {
      fail('secret-column', `Table "${name}" marks "${secret}" secret, but has no such column: name columns by their SQL name.`);
    }
  }
  if (kind.kind === 'platform') {
    if (kind.reason.trim().length < 10) {
      fail('platform-reason', `Platform table "${name}" needs a reason (a sentence) saying why it is not tenant-scoped.`);
    }
    return out;
  }

  const tenantId = config.columns.find((column) => column.name === TENANT_ID);
  if (!tenantId) {
    fail('tenant-id-column', `Tenant table "${name}" has no tenant_id column. Every tenant-owned row carries tenant_id.`);
    return out;
  }
  if (!tenantId.notNull) fail('tenant-id-column', `Tenant table "${name}": tenant_id must be NOT NULL.`);
  if (tenantId.getSQLType() !== 'uuid') fail('tenant-id-column', `Tenant table "${name}": tenant_id must be a uuid.`);

  // Primary key: composite, with tenant_id (C2).
  const columnPk = config.columns.filter((column) => column.primary);
  const pkColumns = config.primaryKeys[0] ? names(config.primaryKeys[0].columns) : names(columnPk);
  if (pkColumns.length === 0 || !pkColumns.includes(TENANT_ID)) {
    fail(
      'tenant-primary-key',
      `Tenant table "${name}": the primary key (${pkColumns.join(', ') || 'none'}) must include tenant_id, ` +
        `e.g. primaryKey({ columns: [t.tenantId, t.id] }).`,
    );
  }

  // Unique keys: per tenant, so a violation never tells one tenant about another's rows.
  const uniques: { label: string; columns: string[] }[] = [
    ...config.columns.filter((column) => column.isUnique).map((column) => ({ label: column.uniqueName ?? column.name, columns: [column.name] })),
    ...config.uniqueConstraints.map((constraint) => ({ label: constraint.getName() ?? 'unique', columns: names(constraint.columns) })),
    ...config.indexes
      .filter((index) => index.config.unique)
      .map((index) => ({
        label: index.config.name ?? 'unique index',
        columns: index.config.columns.map((column) => ('name' in column ? String(column.name) : '(expression)')),
      })),
  ];
  for (const unique of uniques) {
    if (!unique.columns.includes(TENANT_ID)) {
      fail(
        'tenant-unique-key',
        `Tenant table "${name}": unique key ${unique.label} (${unique.columns.join(', ')}) must include tenant_id, ` +
          `or a unique violation reveals another tenant's row.`,
      );
    }
  }

  // An index that leads with tenant_id, so a tenant's rows are found without scanning others'.
  const leading = [
    pkColumns[0],
    ...config.indexes.map((index) => {
      const first = index.config.columns[0];
      return first && 'name' in first ? String(first.name) : undefined;
    }),
    ...uniques.map((unique) => unique.columns[0]),
  ];
  if (!leading.includes(TENANT_ID)) {
    fail('tenant-index', `Tenant table "${name}" has no index leading with tenant_id; add index().on(t.tenantId, t.createdAt).`);
  }

  // Foreign keys into other tenant tables are composite on (tenant_id, ...) (C2).
  for (const fk of config.foreignKeys) {
    const reference = fk.reference();
    if (!tenantTables.has(reference.foreignTable)) continue;
    const pairs = reference.columns.map((column, i) => [column.name, reference.foreignColumns[i]?.name]);
    const tenantPair = pairs.some(([from, to]) => from === TENANT_ID && to === TENANT_ID);
    if (!tenantPair || pairs.length < 2) {
      fail(
        'composite-foreign-key',
        `Tenant table "${name}": the foreign key (${pairs.map(([from]) => from).join(', ')}) into tenant table ` +
          `"${getTableConfig(reference.foreignTable).name}" must be composite on (tenant_id, ...) so it cannot point ` +
          `into another tenant: foreignKey({ columns: [t.tenantId, t.x], foreignColumns: [other.tenantId, other.id] }).`,
      );
    }
  }
  return out;
}

export function formatViolations(violations: SchemaViolation[]): string {
  return violations.map((v) => `  ${v.table}  [${v.rule}]  ${v.message}`).join('\n');
}
