import { readdirSync } from 'node:fs';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { urlForDatabase } from '../src/config';
import { migrateDatabase, migrationsFolder } from '../src/migrate';
import { demoTenants, seedDemo } from '../src/seed';
import { createTestDatabase, type TestDatabase } from '../src/testing/index';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('migrations', () => {
  it('create the database DATABASE_URL names when it does not exist yet', async () => {
    const url = urlForDatabase(db.serverUrl, `${db.name}_new`);
    try {
      await migrateDatabase({ url, roles: db.roles });
      const sql = postgres(url, { max: 1 });
      try {
        const [row] = await sql<{ n: number }[]>`select count(*)::int as n from tenants`;
        expect(row!.n).toBe(0);
      } finally {
        await sql.end();
      }
    } finally {
      const server = postgres(db.serverUrl, { max: 1, onnotice: () => {} });
      await server.unsafe(`drop database if exists "${db.name}_new" with (force)`);
      await server.end();
    }
  });

  it('are safe to run twice', async () => {
    await migrateDatabase({ url: db.urls.migrate, roles: db.roles });
    await migrateDatabase({ url: db.urls.migrate, roles: db.roles });
    const sql = postgres(db.urls.migrate, { max: 1 });
    try {
      const [row] = await sql<{ n: number }[]>`select count(*)::int as n from drizzle.__drizzle_migrations`;
      const files = readdirSync(migrationsFolder).filter((f) => f.endsWith('.sql'));
      expect(row!.n).toBe(files.length);
    } finally {
      await sql.end();
    }
  });

  it('leave every table owned by the owner role, not the app role', async () => {
    const sql = postgres(db.urls.migrate, { max: 1 });
    try {
      const owners = await sql<{ owner: string }[]>`
        select distinct pg_get_userbyid(relowner) as owner from pg_class
        where relnamespace = 'public'::regnamespace and relkind = 'r'`;
      expect(owners.map((o) => o.owner)).toEqual([db.roles.owner.name]);
    } finally {
      await sql.end();
    }
  });
});

describe('demo seed', () => {
  it('creates the demo tenants once, with a platform admin and a user in two tenants', async () => {
    expect(await seedDemo(db.urls.owner)).toEqual({ seeded: true, tenants: 3 });
    expect(await seedDemo(db.urls.owner)).toEqual({ seeded: false, tenants: 3 });
    const sql = postgres(db.urls.migrate, { max: 1 });
    try {
      const tenants = await sql<{ slug: string }[]>`select slug from tenants order by slug`;
      expect(tenants.map((t) => t.slug)).toEqual(demoTenants.map((t) => t.slug).sort());
      const admins = await sql`select email from users where is_platform_admin`;
      expect(admins.map((a) => a.email)).toEqual(['admin@studio.test']);
      const multi = await sql`select user_id from memberships group by user_id having count(*) = 2`;
      expect(multi).toHaveLength(1);
      const [counts] = await sql<{ invoices: number; lessons: number; unbalanced: number }[]>`
        select (select count(*)::int from invoices) as invoices, (select count(*)::int from lesson_plans) as lessons,
          -- every seeded invoice has lines, and its amount_cents is their sum
          (select count(*)::int from invoices i where i.amount_cents is distinct from
            (select sum(l.quantity * l.unit_amount_cents) from invoice_lines l where l.tenant_id = i.tenant_id and l.invoice_id = i.id)) as unbalanced`;
      expect(counts).toEqual({
        invoices: demoTenants.reduce((n, t) => n + t.invoices, 0),
        lessons: demoTenants.reduce((n, t) => n + t.lessons, 0),
        unbalanced: 0,
      });
    } finally {
      await sql.end();
    }
  });
});
