import { createTestDatabase, type TestDatabase } from '@studio/db-schema/testing';
import { customers } from '@studio/db-schema/schema';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, TenantPlacementError } from '../src/index';
import { seededDatabase, type SeededDatabase } from './helpers';

let seeded: SeededDatabase;
let dedicated: TestDatabase;

beforeAll(async () => {
  seeded = await seededDatabase();
  dedicated = await createTestDatabase();
  // The dedicated database holds globex's registry row (for the foreign keys) and its own customers.
  const su = postgres(dedicated.urls.migrate, { max: 1, onnotice: () => {} });
  try {
    await su`insert into plans (id, name, max_members, monthly_price_cents) values ('free', 'Free', 3, 0)`;
    await su`insert into tenants (id, slug, name) values (${seeded.ids.globex}, 'globex', 'Globex')`;
    await su`insert into customers (tenant_id, name) values (${seeded.ids.globex}, 'Only in the dedicated database')`;
  } finally {
    await su.end();
  }
  await seeded.owner`update tenants set placement = 'dedicated' where id = ${seeded.ids.globex}`;
});
afterAll(async () => {
  await dedicated?.drop();
  await seeded?.close();
});

describe('placement routing', () => {
  it('sends a tenant’s statements to the database its placement names', async () => {
    const db = createDatabase({ url: seeded.testDb.urls.app, placements: { dedicated: dedicated.urls.app } });
    try {
      const globex = await db.tenant(seeded.ids.globex);
      expect(globex.tenant.placement).toBe('dedicated');
      expect((await globex.select().from(customers)).map((c) => c.name)).toEqual(['Only in the dedicated database']);
      // Tenants placed in the shared database are unaffected.
      const acme = await db.tenant(seeded.ids.acme);
      expect(await acme.select().from(customers)).toHaveLength(12);
    } finally {
      await db.close();
    }
  });

  it('refuses a tenant whose placement has no configured database, saying how to configure it', async () => {
    const db = createDatabase({ url: seeded.testDb.urls.app });
    try {
      const error = await db.tenant(seeded.ids.globex).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TenantPlacementError);
      expect((error as Error).message).toMatch(/"dedicated".*DATABASE_PLACEMENTS/);
    } finally {
      await db.close();
    }
  });
});
