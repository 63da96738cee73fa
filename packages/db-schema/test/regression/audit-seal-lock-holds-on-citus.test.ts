// Regression (issue 21): studio_audit_seal() serialised a tenant's sealers with an advisory lock,
// which on Citus is taken on the coordinator only. It now locks the tenant's registry row
// FOR NO KEY UPDATE (tenants is a reference table there, locked on every node). That lock must
// not hold back audit inserts (their foreign-key check takes FOR KEY SHARE), and the product
// role must not be able to take it (it would hold a tenant's seal back).
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantContextValue } from '../../src/config';
import { seedDemo } from '../../src/seed';
import { createTestDatabase, type TestDatabase } from '../../src/testing/index';

let database: TestDatabase;
let owner: postgres.Sql;
let app: postgres.Sql;
let acme: string;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemo(database.urls.owner);
  owner = postgres(database.urls.owner, { max: 2, onnotice: () => {} });
  app = postgres(database.urls.app, { max: 1, onnotice: () => {}, connection: { lock_timeout: 2000 } });
  acme = (await owner<{ id: string }[]>`select id from tenants where slug = 'acme'`)[0]!.id;
});

afterAll(async () => {
  await app?.end();
  await owner?.end();
  await database?.drop();
});

describe('the seal lock', () => {
  it('is the tenant row, held FOR NO KEY UPDATE by the seal, and audit inserts pass it', async () => {
    const source = (await owner<{ src: string }[]>`select prosrc as src from pg_proc where proname = 'studio_audit_seal'`)[0]!.src;
    expect(source).toMatch(/FROM tenants t WHERE t\.id = tenant FOR NO KEY UPDATE/);
    expect(source).not.toMatch(/advisory/);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = owner.begin(async (tx) => {
      await tx`select 1 from tenants where id = ${acme} for no key update`;
      locked();
      await held;
    });
    await isLocked;
    try {
      // An audit insert (FK check: FOR KEY SHARE on the same row) does not wait for it.
      await app.begin(async (tx) => {
        await tx`select set_config('app.tenant_context', ${tenantContextValue(acme)}, true)`;
        await tx`insert into audit_events (tenant_id, action) values (${acme}, 'lock.test')`;
      });
    } finally {
      release();
      await holder;
    }
  });

  it('cannot be taken by the product role', async () => {
    await expect(app`select 1 from tenants where id = ${acme} for no key update`).rejects.toThrow(/permission denied for table tenants/);
  });
});
