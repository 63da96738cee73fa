/**
 * The authorization matrix (C14) against the production builds: every page, route handler and
 * server action of invoices, lessons and the console, found in their files, called over HTTP as
 * every kind of caller (owner, admin, member, an API token of each scope, a token whose maker was
 * lowered, anonymous, another tenant's member, a removed member, platform staff), each answer
 * compared with the app's permission table. Nothing here lists the routes: a new page is called
 * as soon as its file exists.
 */
import path from 'node:path';
import { describeAuthorizationMatrix, type MatrixCaller, type MatrixResult } from '@studio/tenancy/testing';
import { seedDemoCredentials } from '@studio/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The tables the apps enforce, read from the apps themselves (a file each, importing only @studio/tenancy).
import { permissions as invoicesPermissions } from '../../../apps/invoices/src/permissions';
import { permissions as lessonsPermissions } from '../../../apps/lessons/src/permissions';
import { buildApps, ROOT, startApp, type RunningApp } from '../src/apps';
import { request, signIn } from '../src/http';
import { demoDatabase, type DemoDatabase } from '../src/session';

let demo: DemoDatabase;
const apps: Partial<Record<'invoices' | 'lessons' | 'admin', RunningApp>> = {};

/** Signs in on an app through its own endpoint, each sign-in its own client address (@studio/e2e/http). */
const signInTo = (app: RunningApp, host: string, email: string) => signIn(app.port, host, email);

/** A user of acme with `role`, and the demo password. */
async function acmeUser(email: string, role: 'owner' | 'admin' | 'member'): Promise<string> {
  const [user] = await demo.su<{ id: string }[]>`insert into users (email, name, email_verified) values (${email}, ${email.split('@')[0]!}, true) returning id`;
  await demo.su`insert into memberships (tenant_id, user_id, role) values (${demo.ids.acme!}, ${user!.id}, ${role})`;
  await seedDemoCredentials(demo.db.urls.owner);
  return user!.id;
}

/** A token of acme made by the signed-in `cookie`, with `scopes`. */
async function token(app: RunningApp, host: string, cookie: string, scopes: readonly string[]): Promise<string> {
  const response = await request(
    app.port,
    'POST',
    '/api/v1/tokens',
    { host, origin: `http://${host}`, cookie, 'content-type': 'application/json' },
    JSON.stringify({ name: `matrix ${scopes.join(' ')}`, scopes }),
  );
  const body = JSON.parse(response.text) as { token?: string };
  if (response.status !== 201 || !body.token) throw new Error(`token ${scopes.join(',')}: ${response.status} ${response.text}`);
  return body.token;
}

/** The tenant's callers, signed in on `host` of `app`. */
async function tenantCallers(app: RunningApp, host: string, tokens: { scopes: readonly string[]; token: string }[], dead: string): Promise<MatrixCaller[]> {
  const cookie = (email: string) => signInTo(app, host, email);
  const removed = await cookie('gina@acme.test');
  await demo.su`delete from memberships where user_id = (select id from users where email = 'gina@acme.test') and tenant_id = ${demo.ids.acme!}`;
  return [
    { label: 'owner', as: { kind: 'member', role: 'owner' }, headers: { cookie: await cookie('alice@acme.test') } },
    { label: 'admin', as: { kind: 'member', role: 'admin' }, headers: { cookie: await cookie('erin@acme.test') } },
    { label: 'member', as: { kind: 'member', role: 'member' }, headers: { cookie: await cookie('dave@example.test') } },
    ...tokens.map((t) => ({ label: `token ${t.scopes.join(',')}`, as: { kind: 'token' as const, scopes: t.scopes }, headers: { authorization: `Bearer ${t.token}` } })),
    { label: 'token of a maker lowered to member', as: { kind: 'dead-token' }, headers: { authorization: `Bearer ${dead}` } },
    { label: 'anonymous', as: { kind: 'anonymous' }, headers: {} },
    { label: "globex's owner", as: { kind: 'outsider' }, headers: { cookie: await cookie('bob@globex.test') } },
    { label: 'removed member', as: { kind: 'outsider' }, headers: { cookie: removed } },
    { label: 'platform admin', as: { kind: 'outsider' }, headers: { cookie: await cookie('admin@studio.test') } },
  ];
}

const tokens: { scopes: readonly string[]; token: string }[] = [];
let deadToken = '';

beforeAll(async () => {
  demo = await demoDatabase();
  await buildApps(['invoices', 'lessons', 'admin']);
  await acmeUser('erin@acme.test', 'admin');
  await acmeUser('frank@acme.test', 'admin');
  await acmeUser('gina@acme.test', 'member');
  // Each sign-in comes from its own client address (x-forwarded-for, one proxy trusted): the limits are per client.
  const proxied = { STUDIO_TRUSTED_PROXIES: '1' };
  apps.invoices = await startApp('invoices', demo.db.urls.app, proxied);
  apps.lessons = await startApp('lessons', demo.db.urls.app, proxied);
  apps.admin = await startApp('admin', demo.db.urls.app, { ...proxied, DATABASE_ADMIN_URL: demo.db.urls.admin });
  const host = `acme.localhost:${apps.invoices.port}`;
  const alice = await signInTo(apps.invoices, host, 'alice@acme.test');
  for (const scope of invoicesPermissions.tokenScopes) tokens.push({ scopes: [scope], token: await token(apps.invoices, host, alice, [scope]) });
  // Frank (admin) makes a token with every scope, then is lowered to member: his token is dead.
  deadToken = await token(apps.invoices, host, await signInTo(apps.invoices, host, 'frank@acme.test'), invoicesPermissions.tokenScopes);
  await demo.su`update memberships set role = 'member' where user_id = (select id from users where email = 'frank@acme.test')`;
}, 20 * 60_000);

afterAll(async () => {
  for (const app of Object.values(apps)) await app?.stop();
  await demo?.drop();
});

const logOnFailure = (name: keyof typeof apps) => (results: MatrixResult[]) => {
  if (results.some((r) => !r.pass || r.status >= 500)) console.error(`[${name} app log]\n${apps[name]?.log().slice(-6000)}`);
};

describe('invoices', () => {
  describeAuthorizationMatrix(
    { appDir: path.join(ROOT, 'apps/invoices'), permissions: invoicesPermissions },
    {
      http: async () => {
        const host = `acme.localhost:${apps.invoices!.port}`;
        return { port: apps.invoices!.port, host, callers: await tenantCallers(apps.invoices!, host, tokens, deadToken) };
      },
      onResults: logOnFailure('invoices'),
    },
  );

  it('a token still works for its scope after all that (the dead one is dead for its maker, not for everyone)', async () => {
    const host = `acme.localhost:${apps.invoices!.port}`;
    const read = tokens.find((t) => t.scopes.includes('invoices:read'))!;
    const answer = await request(apps.invoices!.port, 'GET', '/api/v1/invoices', { host, authorization: `Bearer ${read.token}` });
    expect(answer.status).toBe(200);
    const dead = await request(apps.invoices!.port, 'GET', '/api/v1/invoices', { host, authorization: `Bearer ${deadToken}` });
    expect(dead.status).toBe(401);
  });
});

describe('lessons', () => {
  describeAuthorizationMatrix(
    { appDir: path.join(ROOT, 'apps/lessons'), permissions: lessonsPermissions },
    {
      http: async () => {
        const host = `localhost:${apps.lessons!.port}`;
        const some = tokens.slice(0, 1);
        const callers = await tenantCallers(apps.lessons!, host, some, deadToken);
        return { port: apps.lessons!.port, host, tenantSlug: 'acme', callers };
      },
      onResults: logOnFailure('lessons'),
    },
  );
});

describe('the console', () => {
  describeAuthorizationMatrix(
    { appDir: path.join(ROOT, 'apps/admin') },
    {
      http: async () => {
        const host = `localhost:${apps.admin!.port}`;
        const callers: MatrixCaller[] = [
          { label: 'platform admin', as: { kind: 'platform-admin' }, headers: { cookie: await signInTo(apps.admin!, host, 'admin@studio.test') } },
          { label: "acme's owner", as: { kind: 'signed-in' }, headers: { cookie: await signInTo(apps.admin!, host, 'alice@acme.test') } },
          { label: 'an API token', as: { kind: 'token', scopes: invoicesPermissions.tokenScopes }, headers: { authorization: `Bearer ${tokens[0]!.token}` } },
          { label: 'anonymous', as: { kind: 'anonymous' }, headers: {} },
        ];
        return { port: apps.admin!.port, host, callers };
      },
      onResults: logOnFailure('admin'),
    },
  );
});
