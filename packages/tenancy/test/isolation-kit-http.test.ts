/**
 * The kit's http layer can pass and can fail: two tiny JSON servers over the same database, one
 * that scopes every query to the tenant of its Host (and refuses a token of another tenant), one
 * that lists invoices through a connection that bypasses the tenancy layer.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { invoices } from '@studio/db-schema/schema';
import { seedDemo } from '@studio/db-schema/seed';
import { createTestDatabase, type TestDatabase } from '@studio/db-schema/testing';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../src/index';
import { runIsolationMatrix, type AttackResult, type HttpTarget } from '../src/testing/index';

let testDb: TestDatabase;
let db: Database;
let leaky: postgres.Sql;
const servers: http.Server[] = [];

/** `Bearer <tenant id>` stands for a real credential; the Host's first label is the tenant slug. */
function serve(list: (tenantId: string) => Promise<unknown[]>): Promise<number> {
  const server = http.createServer((request, response) => {
    void (async () => {
      const json = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      try {
        const slug = (request.headers.host ?? '').split('.')[0]!;
        const tenant = await db.tenants.bySlug(slug);
        const claimed = (request.headers.authorization ?? '').replace(/^Bearer /, '');
        if (!tenant || claimed !== tenant.id) return json(403, { error: { message: 'not a member of this tenant' } });
        if (request.method === 'POST') return json(400, { error: { message: 'read-only test server' } });
        json(200, { invoices: await list(tenant.id) });
      } catch (error) {
        json(500, { error: { message: String(error) } });
      }
    })();
  });
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

async function attack(port: number): Promise<AttackResult[]> {
  const target: HttpTarget = {
    origin: (t) => `http://${t.slug}.localhost:${port}`,
    credentials: async (t) => ({ authorization: `Bearer ${t.id}` }),
    routes: [{ table: 'invoices', list: '/invoices', create: (row) => ({ customerId: row.customer_id }) }],
  };
  const results = await runIsolationMatrix({ ownerUrl: testDb.urls.owner, appUrl: testDb.urls.app, http: target });
  return results.filter((r) => r.layer === 'http');
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  await seedDemo(testDb.urls.owner);
  db = createDatabase({ url: testDb.urls.app, tenantCache: { listen: false } });
  // The admin role bypasses RLS: what a product would get by reaching around the scoped client.
  leaky = postgres(testDb.urls.admin, { max: 2, onnotice: () => {} });
}, 60_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  await leaky?.end();
  await db?.close();
  await testDb?.drop();
});

describe("the leak test kit's http layer", () => {
  it('passes a product whose route reads through the scoped client', async () => {
    const port = await serve(async (tenantId) => (await db.tenant(tenantId)).select({ id: invoices.id }).from(invoices));
    const results = await attack(port);
    expect(results.map((r) => r.attack).sort()).toEqual(
      ["create pointing at the other's rows", "create with the other tenant's id", "list on one's own host", "one's credentials on the other's host", 'tenant header spoofed'].sort(),
    );
    expect(results.filter((r) => !r.pass)).toEqual([]);
  });

  it('fails a product whose route reads around it', async () => {
    const port = await serve(async () => [...(await leaky<{ id: string }[]>`select id from invoices order by created_at desc limit 500`)]);
    const failed = (await attack(port)).filter((r) => !r.pass).map((r) => r.attack);
    expect(failed).toEqual(expect.arrayContaining(["list on one's own host", 'tenant header spoofed']));
  });
});
