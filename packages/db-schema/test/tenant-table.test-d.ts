/**
 * Type tests for tenantTable (C1): every tenant table's rows carry tenantId, id and createdAt,
 * whatever its own columns, and an insert needs the tenant and the table's required columns.
 * Each @ts-expect-error fails the run if its line compiles.
 */
import { integer, text } from 'drizzle-orm/pg-core';
import { describe, expectTypeOf, test } from 'vitest';
import type { customers } from '../src/schema/customers';
import { tenantTable } from '../src/schema/util/tenant-table';

const notes = tenantTable('type_test_notes', { body: text('body').notNull(), stars: integer('stars') }, { rls: true });
type Note = typeof notes.$inferSelect;
type NewNote = typeof notes.$inferInsert;

describe('tenantTable', () => {
  test("a row has the tenant's columns and its own", () => {
    expectTypeOf(notes.$inferSelect).toEqualTypeOf<Note>();
    expectTypeOf<Note>().toEqualTypeOf<{ tenantId: string; id: string; createdAt: Date; body: string; stars: number | null }>();
    expectTypeOf<typeof customers.$inferSelect>().toHaveProperty('tenantId').toEqualTypeOf<string>();
    expectTypeOf<typeof customers.$inferSelect>().toHaveProperty('id').toEqualTypeOf<string>();
    expectTypeOf<typeof customers.$inferSelect>().toHaveProperty('createdAt').toEqualTypeOf<Date>();
  });

  test('an insert needs the tenant and the NOT NULL columns without a default; id and createdAt are filled', () => {
    expectTypeOf<NewNote>().toHaveProperty('tenantId').toEqualTypeOf<string>();
    expectTypeOf<NewNote>().toHaveProperty('body').toEqualTypeOf<string>();
    expectTypeOf<{ tenantId: string; body: string }>().toExtend<NewNote>();
    expectTypeOf<Pick<NewNote, 'id' | 'createdAt' | 'stars'>>().toEqualTypeOf<{ id?: string; createdAt?: Date; stars?: number | null }>();
  });

  test('what an insert must not lack or get wrong does not compile', () => {
    // @ts-expect-error without its tenant
    const noTenant: NewNote = { body: 'x' };
    // @ts-expect-error without a required column of its own
    const noBody: NewNote = { tenantId: 't' };
    // @ts-expect-error the tenant is a uuid string, not a number
    const badTenant: NewNote = { tenantId: 1, body: 'x' };
    // @ts-expect-error a column the table does not have
    const extra: NewNote = { tenantId: 't', body: 'x', tenant: 't' };
    void [noTenant, noBody, badTenant, extra];
  });
});
