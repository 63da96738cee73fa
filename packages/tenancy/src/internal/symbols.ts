/** Access to a Database's pools and guard for this package's tests; not exported to products. */
export const internals = Symbol('@studio/tenancy/internals');
