/**
 * Type tests for the runtime services' public entries: a job's payload and a quota's operation
 * name are checked by the compiler. Each @ts-expect-error fails the run if its line compiles.
 */
import type { TenantJob, TenantJobContext, TenantJobs, TenantScope } from '@studio/tenancy/jobs';
import { createQuotas, type QuotaUse } from '@studio/tenancy/quotas';
import { describe, expectTypeOf, test } from 'vitest';

declare const jobs: TenantJobs;
declare const scope: TenantScope;

describe('job payloads', () => {
  const exportJob = jobs.defineTenantJob<{ exportId: string; format: 'csv' | 'ndjson' }>('invoices.export', async (ctx) => {
    expectTypeOf(ctx).toEqualTypeOf<TenantJobContext<{ exportId: string; format: 'csv' | 'ndjson' }>>();
    expectTypeOf(ctx.payload.exportId).toEqualTypeOf<string>();
    expectTypeOf(ctx.tdb.tenantId).toEqualTypeOf<string>();
  });

  test('a declared job takes its payload, typed', () => {
    expectTypeOf(exportJob).toEqualTypeOf<TenantJob<{ exportId: string; format: 'csv' | 'ndjson' }>>();
    expectTypeOf(exportJob.enqueue).parameter(1).toEqualTypeOf<{ exportId: string; format: 'csv' | 'ndjson' }>();
    expectTypeOf(exportJob.enqueue).returns.resolves.toEqualTypeOf<string>();
    void exportJob.enqueue(scope, { exportId: 'e1', format: 'csv' });
  });

  test('a payload of the wrong shape does not compile', () => {
    // @ts-expect-error a missing field
    void exportJob.enqueue(scope, { exportId: 'e1' });
    // @ts-expect-error a field of the wrong type
    void exportJob.enqueue(scope, { exportId: 1, format: 'csv' });
    // @ts-expect-error a value outside the declared union
    void exportJob.enqueue(scope, { exportId: 'e1', format: 'xml' });
    // @ts-expect-error a field the job does not declare
    void exportJob.enqueue(scope, { exportId: 'e1', format: 'csv', tenantId: 'another' });
    // @ts-expect-error no payload at all
    void exportJob.enqueue(scope);
  });

  test("a handler cannot read what the payload does not declare", () => {
    jobs.defineTenantJob<{ n: number }>('counts.recount', async ({ payload }) => {
      expectTypeOf(payload).toEqualTypeOf<{ n: number }>();
      // @ts-expect-error not in the payload
      void payload.exportId;
    });
  });
});

describe('quota names', () => {
  const quotas = createQuotas({
    pdf: { points: 30, perSeconds: 60 },
    export: { points: 5, perSeconds: 3600, perPerson: 2 },
  });

  test('the declared operations are the only names', () => {
    expectTypeOf(quotas.consume).parameter(1).toEqualTypeOf<'pdf' | 'export'>();
    expectTypeOf(quotas.consume(scope, 'pdf')).resolves.toEqualTypeOf<QuotaUse>();
    void quotas.remaining(scope, 'export');
    void quotas.reset(scope, 'pdf');
  });

  test('an undeclared operation name does not compile', () => {
    // @ts-expect-error not declared in the rules
    void quotas.consume(scope, 'import');
    // @ts-expect-error nor here
    void quotas.remaining(scope, 'PDF');
    // @ts-expect-error nor here
    void quotas.reset(scope, 'exports');
  });

  test('a rule must be whole', () => {
    // @ts-expect-error a rule without its window
    createQuotas({ pdf: { points: 30 } });
  });
});
