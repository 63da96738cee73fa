/** describeTenantIsolation's `tables`: a product names its own tables, and a name that is not a tenant table stops the file. */
import { describe, expect, it } from 'vitest';
import { describeTenantIsolation } from '../src/testing/index';

const never = () => {
  throw new Error('options() is not called at collection');
};

describe('describeTenantIsolation({ tables })', () => {
  it('refuses a name that is not a tenant table of the schema, naming it and the tenant tables', () => {
    expect(() => describeTenantIsolation(never, { tables: ['invoices', 'invoice'] })).toThrow(/not tenant tables of the schema: invoice \(tenant tables: .*invoices/);
    expect(() => describeTenantIsolation(never, { tables: ['users'] })).toThrow(/users/);
  });

  it('refuses an empty list (it would attack nothing)', () => {
    expect(() => describeTenantIsolation(never, { tables: [] })).toThrow(/empty/);
  });
});
