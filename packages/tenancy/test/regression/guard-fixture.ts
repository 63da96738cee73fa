import { beforeAll } from 'vitest';
import { TenantScopeError } from '../../src/errors';
import { QueryGuard } from '../../src/guard/query-guard';

/** Guard tests need no database: the guard refuses before anything is sent. */
export const A = '11111111-1111-4111-8111-111111111111';
export const B = '22222222-2222-4222-8222-222222222222';

/** The shape the products get: their tenant tables, and a few platform columns to read. */
export const guard = new QueryGuard({
  tenantTables: ['invoices', 'customers', 'lesson_plans', 'audit_events'],
  platformReadable: {
    tenants: ['id', 'slug', 'name', 'status', 'status_reason', 'placement', 'branding', 'plan'],
    plans: ['id', 'name', 'max_members', 'monthly_price_cents', 'created_at', 'updated_at'],
  },
});
beforeAll(() => guard.ready());

/** The refusal of `sql`, failing the test if the guard lets it through. */
export function refusal(sql: string, params: unknown[] = [A, A, A, A]): TenantScopeError {
  try {
    guard.check(sql, params, A);
  } catch (error) {
    if (error instanceof TenantScopeError) return error;
    throw error;
  }
  throw new Error(`the guard let this through: ${sql}`);
}

export function allowed(sql: string, params: unknown[] = [A, A, A, A]) {
  return guard.check(sql, params, A);
}
