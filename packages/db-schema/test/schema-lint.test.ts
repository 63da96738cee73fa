import { describe, expect, it } from 'vitest';
import { lintSchema, type SchemaRule } from '../src/lint/schema-lint';
import { secretColumnsByTable } from '../src/schema/util/table-kinds';
import * as schema from '../src/schema/index';
import * as broken from './fixtures/broken-schemas';

describe('schema lint (C1, C2)', () => {
  it('passes on the real schema', () => {
    expect(lintSchema(schema)).toEqual([]);
  });

  const cases: [keyof typeof broken, string, SchemaRule][] = [
    ['undeclared', 'notes', 'declared-scope'],
    ['noReason', 'flags', 'platform-reason'],
    ['noTenantId', 'widgets', 'tenant-id-column'],
    ['nullableTenantId', 'gadgets', 'tenant-id-column'],
    ['idOnlyPrimaryKey', 'tickets', 'tenant-primary-key'],
    ['noTenantIndex', 'events', 'tenant-index'],
    ['globalUnique', 'contacts', 'tenant-unique-key'],
    ['plainForeignKey', 'children', 'composite-foreign-key'],
    ['misnamedSecret', 'keys', 'secret-column'],
  ];

  it.each(cases)('fails on the %s fixture, naming table %s and rule %s', (fixture, table, rule) => {
    const violations = lintSchema(broken[fixture]);
    expect(violations).toContainEqual(expect.objectContaining({ table, rule }));
    for (const violation of violations) expect(violation.message).toContain(violation.table);
  });

  it('reports only the broken table when mixed with the real schema', () => {
    const violations = lintSchema({ ...schema, ...broken.plainForeignKey });
    expect(violations.map((v) => v.table)).toEqual(['children']);
  });
});

describe('secret columns (C16)', () => {
  it('are declared on the tables that hold credentials, by SQL name', () => {
    expect(secretColumnsByTable(schema)).toEqual({
      accounts: ['password', 'access_token', 'refresh_token', 'id_token'],
      sessions: ['token'],
      verifications: ['identifier', 'value'],
      invitations: ['id'],
      api_tokens: ['token_hash'],
    });
  });
});
