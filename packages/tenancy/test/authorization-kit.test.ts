/**
 * The authorization matrix kit on a small app of its own: it finds every page, route method and
 * server action from the files, passes when each declares its need and the server keeps the
 * table, and fails when one declaration is removed, when an inline action hides from it, and when
 * a route answers a caller the table refuses.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePermissions } from '../src/request/index';
import { checkDeclarations, describeFailures, expectedVerdict, findEntryPoints, runHttpMatrix, type EntryPoint, type MatrixCaller } from '../src/testing/index';

const table = definePermissions({
  roles: {
    member: ['things:read'],
    admin: ['things:read', 'things:write', 'tokens:manage'],
    owner: ['things:read', 'things:write', 'tokens:manage'],
  },
  tokenScopes: ['things:read', 'things:write'],
  manageTokens: 'tokens:manage',
});

const FILES: Record<string, string> = {
  'src/app/page.tsx': `import { publicAccess } from '@studio/tenancy';\nexport default function Home() {\n  publicAccess('the landing page');\n  return null;\n}\n`,
  'src/app/things/page.tsx': `export default async function Things() {\n  const ctx = await pageContext('things:read', '/things');\n  return ctx;\n}\n`,
  'src/app/things/[id]/page.tsx': `export default async function Thing({ params }: { params: Promise<{ id: string }> }) {\n  const { id } = await params;\n  const ctx = await pageContext('things:read', '/things/' + id);\n  return ctx;\n}\n`,
  'src/app/api/things/route.ts':
    `export function GET(request: Request) {\n  return getTenancy().api('things:read', async () => Response.json([]))(request);\n}\n` +
    `export const POST = (request: Request) => getTenancy().api('things:write', async () => Response.json({}, { status: 201 }))(request);\n`,
  'src/app/api/tokens/route.ts': `function handler(request: Request) {\n  return getTenancy().route('tokens:manage', async () => Response.json([]))(request);\n}\nexport { handler as GET };\n`,
  'src/app/things/actions.ts': `'use server';\n\nexport interface State { error?: string }\n\nexport async function addThing(_previous: State, form: FormData): Promise<State> {\n  const ctx = await pageContext('things:write', '/things');\n  return {};\n}\n\nexport async function removeThing(id: string, _previous: State, _form: FormData): Promise<State> {\n  await pageContext('things:write', '/things/' + id);\n  return {};\n}\n`,
};

let dir: string;

function app(files: Record<string, string>, manifest = true): string {
  const root = mkdtempSync(path.join(dir, 'app-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  if (manifest) {
    mkdirSync(path.join(root, '.next/server'), { recursive: true });
    const worker = (name: string) => ({ moduleId: 1, async: false, exportedName: name, filename: 'apps/things/src/app/things/actions.ts' });
    writeFileSync(
      path.join(root, '.next/server/server-reference-manifest.json'),
      JSON.stringify({
        node: {
          '40aa': { workers: { 'app/things/page': worker('addThing') }, layer: { 'app/things/page': 'action-browser' } },
          '40bb': { workers: { 'app/things/[id]/page': worker('removeThing') }, layer: { 'app/things/[id]/page': 'action-browser' } },
        },
        edge: {},
      }),
    );
  }
  return root;
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'studio-authz-kit-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('finding entry points', () => {
  it('finds every page, route method and server action with the need it declares', () => {
    const entries = findEntryPoints(app(FILES));
    const seen = entries.map((e) => `${e.kind} ${e.route} ${e.name} ${e.gate}:${e.need}`);
    expect(seen).toEqual([
      'page / default publicAccess:public',
      'route /api/things GET api:things:read',
      'route /api/things POST api:things:write',
      'route /api/tokens GET route:tokens:manage',
      'action /things addThing pageContext:things:write',
      'action /things removeThing pageContext:things:write',
      'page /things default pageContext:things:read',
      'page /things/[id] default pageContext:things:read',
    ]);
    expect(entries.find((e) => e.name === 'removeThing')?.params).toEqual(['string', 'state', 'form']);
    expect(checkDeclarations(entries, table)).toEqual([]);
  });

  it('fails when one declaration is removed', () => {
    const files = { ...FILES, 'src/app/things/[id]/page.tsx': `export default async function Thing() {\n  const ctx = await getTenancy().getTenant();\n  return ctx;\n}\n` };
    const problems = checkDeclarations(findEntryPoints(app(files)), table);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.entry).toMatchObject({ kind: 'page', route: '/things/[id]', need: null });
    expect(problems[0]!.problem).toContain('declares no need');
  });

  it('fails on a server action without a declaration, a need the table does not know, and an inline action', () => {
    const files = {
      ...FILES,
      'src/app/things/actions.ts': FILES['src/app/things/actions.ts']!.replace("await pageContext('things:write', '/things/' + id);", 'void id;'),
      'src/app/api/things/route.ts': FILES['src/app/api/things/route.ts']!.replace("api('things:write'", "api('things:delete'"),
      'src/app/inline/page.tsx': `export default function Inline() {\n  async function sneak() {\n    'use server';\n  }\n  return sneak;\n}\n`,
    };
    const problems = checkDeclarations(findEntryPoints(app(files)), table).map((p) => `${p.entry.kind} ${p.entry.name}: ${p.problem}`);
    expect(problems).toHaveLength(3);
    expect(problems.find((p) => p.startsWith('action removeThing'))).toContain('declares no need');
    expect(problems.find((p) => p.startsWith('route POST'))).toContain("'things:delete', which is not in the product's permission table");
    expect(problems.find((p) => p.includes('inline'))).toBeDefined();
  });
});

describe('what the table promises each caller', () => {
  const entry = (need: string, kind: EntryPoint['kind'] = 'page', gate = 'pageContext'): EntryPoint => ({ kind, file: 'x', route: '/x', name: 'default', need, gate, line: 1 });
  it('follows the roles, refuses tokens everywhere but the JSON API, hides the tenant from strangers', () => {
    expect(expectedVerdict(entry('things:write'), { kind: 'member', role: 'member' }, table)).toBe('forbidden');
    expect(expectedVerdict(entry('things:write'), { kind: 'member', role: 'admin' }, table)).toBe('allow');
    expect(expectedVerdict(entry('things:read'), { kind: 'token', scopes: ['things:read'] }, table)).toBe('forbidden');
    expect(expectedVerdict(entry('things:read', 'route', 'api'), { kind: 'token', scopes: ['things:read'] }, table)).toBe('allow');
    expect(expectedVerdict(entry('things:write', 'route', 'api'), { kind: 'token', scopes: ['things:read'] }, table)).toBe('forbidden');
    expect(expectedVerdict(entry('things:read', 'route', 'api'), { kind: 'dead-token' }, table)).toBe('sign-in');
    expect(expectedVerdict(entry('things:read'), { kind: 'anonymous' }, table)).toBe('sign-in');
    expect(expectedVerdict(entry('things:read'), { kind: 'outsider' }, table)).toBe('hidden');
    expect(expectedVerdict(entry('public'), { kind: 'anonymous' }, table)).toBe('allow');
    expect(expectedVerdict(entry('platform-admin'), { kind: 'signed-in' })).toBe('forbidden');
  });
});

/**
 * A server that plays the app: callers are `cookie: who=<role|outsider>` and `authorization:
 * Bearer <scope,scope>`; each path answers as its declared need says, except the paths in `lax`,
 * which serve anyone who is signed in or holds a token.
 */
function fakeApp(entries: readonly EntryPoint[], lax: readonly string[] = []) {
  const byCall = new Map<string, EntryPoint>();
  for (const e of entries) {
    if (e.kind === 'action') byCall.set(`action ${e.name === 'addThing' ? '40aa' : '40bb'}`, e);
    else byCall.set(`${e.kind === 'page' ? 'GET' : e.name} ${e.route}`, e);
  }
  return http.createServer((request, response) => {
    const url = new URL(request.url!, 'http://x');
    const actionId = request.headers['next-action'];
    const route = url.pathname.replace(/[0-9a-f-]{36}$/, '[id]');
    const e = typeof actionId === 'string' ? byCall.get(`action ${actionId}`) : byCall.get(`${request.method} ${route}`);
    const answer = (status: number, headers: Record<string, string> = {}) => {
      response.writeHead(status, headers);
      response.end();
    };
    if (!e) return answer(404);
    const isPage = e.kind !== 'route';
    const who = /who=(\w+)/.exec(request.headers.cookie ?? '')?.[1];
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const signIn = () => (e.kind === 'action' ? answer(303, { 'x-action-redirect': '/sign-in?next=%2Fthings;push' }) : isPage ? answer(307, { location: '/sign-in?next=%2F' }) : answer(401));
    if (e.need === 'public') return answer(200);
    if (lax.includes(`${e.kind === 'page' ? 'GET' : e.name} ${e.route}`) && (who || bearer)) return answer(200);
    if (bearer !== undefined) {
      if (bearer === 'dead') return e.gate === 'api' ? answer(401) : answer(403);
      return e.gate === 'api' && bearer.split(',').includes(e.need!) ? answer(200) : answer(403);
    }
    if (!who) return signIn();
    if (who === 'outsider') return answer(404);
    return table.has(who as 'member', e.need!) ? answer(e.kind === 'route' ? 200 : 200) : answer(403);
  });
}

const callers: MatrixCaller[] = [
  { label: 'owner', as: { kind: 'member', role: 'owner' }, headers: { cookie: 'who=owner' } },
  { label: 'member', as: { kind: 'member', role: 'member' }, headers: { cookie: 'who=member' } },
  { label: 'token things:read', as: { kind: 'token', scopes: ['things:read'] }, headers: { authorization: 'Bearer things:read' } },
  { label: 'dead token', as: { kind: 'dead-token' }, headers: { authorization: 'Bearer dead' } },
  { label: 'anonymous', as: { kind: 'anonymous' }, headers: {} },
  { label: 'removed member', as: { kind: 'outsider' }, headers: { cookie: 'who=outsider' } },
];

async function serve(server: http.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('calling every entry point as every caller', () => {
  it('passes an app that keeps its table, server actions included', async () => {
    const root = app(FILES);
    const entries = findEntryPoints(root);
    const server = fakeApp(entries);
    try {
      const results = await runHttpMatrix(root, entries, table, { port: await serve(server), host: 'acme.localhost', callers });
      expect(describeFailures(results)).toBe('');
      expect(results.filter((r) => r.call.startsWith('action'))).toHaveLength(2 * callers.length);
      expect(results).toHaveLength(entries.length * callers.length);
    } finally {
      server.close();
    }
  });

  it('fails an app whose route serves any token and any member, whatever the need', async () => {
    const root = app(FILES);
    const entries = findEntryPoints(root);
    const server = fakeApp(entries, ['POST /api/things', 'GET /things']);
    try {
      const results = await runHttpMatrix(root, entries, table, { port: await serve(server), host: 'acme.localhost', callers });
      const failures = describeFailures(results).split('\n');
      expect(failures).toEqual([
        expect.stringMatching(/^POST \/api\/things as member: expected forbidden, got 200/),
        expect.stringMatching(/^POST \/api\/things as token things:read: expected forbidden, got 200/),
        expect.stringMatching(/^POST \/api\/things as dead token: expected sign-in, got 200/),
        expect.stringMatching(/^POST \/api\/things as removed member: expected hidden, got 200/),
        expect.stringMatching(/^GET \/things as token things:read: expected forbidden, got 200/),
        expect.stringMatching(/^GET \/things as dead token: expected forbidden, got 200/),
        expect.stringMatching(/^GET \/things as removed member: expected hidden, got 200/),
      ]);
    } finally {
      server.close();
    }
  });

  it('fails a server action it cannot find in the build', async () => {
    const root = app(FILES, false);
    const entries = findEntryPoints(root);
    const results = await runHttpMatrix(root, entries.filter((e) => e.kind === 'action'), table, { port: 1, host: 'acme.localhost', callers });
    expect(results.every((r) => !r.pass)).toBe(true);
    expect(describeFailures(results)).toContain('server-reference-manifest.json');
  });
});
