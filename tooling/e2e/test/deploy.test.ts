/**
 * Per-app deploys: `turbo prune @studio/invoices` gives a tree with that app and the packages it
 * uses, nothing else; that tree installs from its own lockfile and builds the app (standalone
 * output), and the built server answers, with the tenant from the Host as in production.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { seedDemo } from '@studio/db-schema/seed';
import { createTestDatabase, type TestDatabase } from '@studio/db-schema/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, run, startApp, type RunningApp } from '../src/apps';

let tree: string | undefined;
let db: TestDatabase | undefined;
let app: RunningApp | undefined;

afterAll(async () => {
  await app?.stop();
  await db?.drop();
  if (tree) await rm(tree, { recursive: true, force: true });
});

/** A GET with the tenant in Host (fetch would replace the Host header with the URL's). */
function get(port: number, host: string, urlPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path: urlPath, headers: { host, accept: 'text/html' } }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
  });
}

describe('deploying one app', () => {
  it('prunes invoices to a tree that installs and builds it alone, and the build serves tenants', async () => {
    tree = await mkdtemp(path.join(tmpdir(), 'studio-prune-'));
    await run('pnpm', ['exec', 'turbo', 'prune', '@studio/invoices', '--out-dir', tree], ROOT);
    // Only this app; the packages it depends on, and no other product.
    await expect(readdir(path.join(tree, 'apps'))).resolves.toEqual(['invoices']);
    const packages = await readdir(path.join(tree, 'packages'));
    expect(packages).toEqual(expect.arrayContaining(['auth', 'db-schema', 'tenancy']));

    // The pruned lockfile must be complete: --frozen-lockfile fails on any drift.
    await run('pnpm', ['install', '--frozen-lockfile', '--prefer-offline'], tree);
    await run('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=@studio/invoices', '--output-logs=errors-only'], tree, { NODE_ENV: 'production' });

    db = await createTestDatabase();
    await seedDemo(db.urls.owner);
    app = await startApp('invoices', db.urls.app, {}, { root: tree });
    const signIn = await get(app.port, `acme.localhost:${app.port}`, '/sign-in');
    expect(signIn.status).toBe(200);
    expect(signIn.body).toContain('Acme Corp');
    const api = await get(app.port, `acme.localhost:${app.port}`, '/api/v1/invoices');
    expect(api.status).toBe(401);
    expect((await get(app.port, `nobody-here.localhost:${app.port}`, '/sign-in')).status).toBe(404);
  }, 15 * 60_000);
});
