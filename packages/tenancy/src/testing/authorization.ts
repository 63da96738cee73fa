/**
 * The authorization matrix kit (C14), the twin of the leak kit: every entry point of an app (found
 * in its files, see entry-points.ts) x every kind of caller, compared with what the product's
 * permission table says each must be answered.
 *
 * Statically, every page, route handler and server action must declare its need, and the need
 * must be in the table. Against a running build, each page and route is called over HTTP as each
 * caller, and each server action is posted the way a browser posts it (its id from Next's action
 * manifest), so what the app answers is compared with what the table promises.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { TenantRole } from '../request/context';
import { isPermission, type PermissionTable } from '../request/permissions';
import type { EntryPoint } from './entry-points';

/** Who is calling, as far as the table is concerned. */
export type CallerKind =
  | { kind: 'member'; role: TenantRole }
  /** A valid API token of this tenant with these scopes (its maker may still make tokens). */
  | { kind: 'token'; scopes: readonly string[] }
  /** A token whose maker was removed or lost the right to make tokens. */
  | { kind: 'dead-token' }
  | { kind: 'anonymous' }
  /** Signed in, not a member of this tenant: another tenant's member, a removed member, platform staff. */
  | { kind: 'outsider' }
  /** The console's: a platform admin, and a signed-in user who is not one. */
  | { kind: 'platform-admin' }
  | { kind: 'signed-in' };

export interface MatrixCaller {
  /** Shown in failures: 'owner', 'token invoices:read', 'removed member', ... */
  label: string;
  as: CallerKind;
  /** What authenticates it: `cookie`, `authorization`, or nothing. */
  headers: Record<string, string>;
}

/**
 * What a caller must be answered: `allow` (served: 2xx/3xx, or a 4xx of the entry point's own
 * such as a 400 for an empty form or a 404 for an unknown id), `sign-in` (401, or a redirect to a
 * sign-in page), `forbidden` (403), `hidden` (403 or 404: a stranger learns nothing).
 */
export type Verdict = 'allow' | 'sign-in' | 'forbidden' | 'hidden';

export interface DeclarationProblem {
  entry: EntryPoint;
  problem: string;
}

const where = (e: EntryPoint) => `${e.file}${e.kind === 'page' ? '' : ` ${e.name}`}`;

/** Every entry point declares a need the table knows; the JSON API's needs are token scopes. */
export function checkDeclarations(entries: readonly EntryPoint[], table?: PermissionTable): DeclarationProblem[] {
  const problems: DeclarationProblem[] = [];
  for (const entry of entries) {
    if (entry.need === null) {
      problems.push({
        entry,
        problem: `${where(entry)} declares no need: its first line must be a gate with a permission (e.g. pageContext('invoices:read', ...), getTenancy().route('invoices:read', ...)) or publicAccess('why').`,
      });
    } else if (isPermission(entry.need) && !table?.all.includes(entry.need)) {
      problems.push({ entry, problem: `${where(entry)} needs '${entry.need}', which is not in the product's permission table (src/permissions.ts).` });
    } else if (!isPermission(entry.need) && !['public', 'member', 'platform-admin'].includes(entry.need)) {
      problems.push({ entry, problem: `${where(entry)} declares '${entry.need}': a need is a permission (<resource>:<verb>), 'member', 'platform-admin' or publicAccess().` });
    }
  }
  return problems;
}

/** The answer the table promises `caller` at `entry`. */
export function expectedVerdict(entry: EntryPoint, caller: CallerKind, table?: PermissionTable): Verdict {
  const need = entry.need;
  if (need === null) throw new Error(`${where(entry)} declares no need`);
  if (need === 'public') return 'allow';
  if (need === 'platform-admin') {
    if (caller.kind === 'platform-admin') return 'allow';
    // A token is nobody to the console: there is no session.
    if (caller.kind === 'anonymous' || caller.kind === 'token' || caller.kind === 'dead-token') return 'sign-in';
    return 'forbidden';
  }
  // A tenant's entry point.
  switch (caller.kind) {
    case 'anonymous':
      return 'sign-in';
    case 'outsider':
    case 'signed-in':
    case 'platform-admin':
      return 'hidden';
    case 'member':
      return need === 'member' || table?.has(caller.role, need) ? 'allow' : 'forbidden';
    case 'token':
      // Tokens open the JSON API only (tenancy.api), and only with the scope it needs.
      return entry.gate === 'api' && table?.tokenScopes.includes(need as never) && caller.scopes.includes(need) ? 'allow' : 'forbidden';
    case 'dead-token':
      return entry.gate === 'api' ? 'sign-in' : 'forbidden';
  }
}

export interface Answer {
  status: number;
  location: string | null;
}

/** A Location (or an action's `x-action-redirect: <url>;<type>`) that goes to a sign-in page. */
function isSignIn(location: string): boolean {
  const pathname = location.split(';')[0]!.replace(/^[a-z]+:\/\/[^/]+/i, '').split(/[?#]/)[0]!;
  return /\/sign-in$/.test(pathname);
}

/** What an answer means: `error` for a 5xx, whatever the expectation. */
export function classify(answer: Answer): 'ok' | 'sign-in' | 'forbidden' | 'not-found' | 'error' {
  const { status, location } = answer;
  if (status >= 500) return 'error';
  if (status === 401) return 'sign-in';
  if (((status >= 300 && status < 400) || status === 200) && location !== null && isSignIn(location)) return 'sign-in';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  return 'ok';
}

/** Whether `answer` keeps the promise `expected`; `dynamic`: the route has a [segment] (an unknown id may answer 404). */
export function keeps(expected: Verdict, answer: Answer, dynamic: boolean): boolean {
  const seen = classify(answer);
  switch (expected) {
    case 'allow':
      return seen === 'ok' || (dynamic && seen === 'not-found');
    case 'sign-in':
      return seen === 'sign-in';
    case 'forbidden':
      return seen === 'forbidden';
    case 'hidden':
      return seen === 'forbidden' || seen === 'not-found';
  }
}

export interface HttpMatrixOptions {
  /** The running app: 127.0.0.1:<port>. */
  port: number;
  /** The Host header of the tenant under test, e.g. `acme.localhost:3001` (or the app's one host). */
  host: string;
  /** The URL path of a route pattern; default: [slug] -> `tenantSlug`, other segments -> a random UUID, [...x] -> `x`. Null skips it. */
  path?: (route: string) => string | null;
  tenantSlug?: string;
  callers: readonly MatrixCaller[];
  /** The app's `.next` folder (for the server action manifest); default `<appDir>/.next`. */
  buildDir?: string;
}

export interface MatrixResult {
  entry: EntryPoint;
  /** `GET /customers/<uuid>`, or `action createCustomer via /customers`. */
  call: string;
  caller: string;
  expected: Verdict;
  status: number;
  location: string | null;
  pass: boolean;
}

interface ActionRef {
  id: string;
  /** Pages (Next's worker names, e.g. app/customers/[id]/page) that can run it. */
  pages: string[];
}

/** Server action ids by `<file>#<export>` (the file as Next names it: from the repository's root), from Next's server-reference-manifest.json. */
export function actionManifest(buildDir: string): Map<string, ActionRef> {
  const file = path.join(buildDir, 'server/server-reference-manifest.json');
  const refs = new Map<string, ActionRef>();
  if (!existsSync(file)) return refs;
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as { node?: Record<string, { workers?: Record<string, unknown>; filename?: string; exportedName?: string }> };
  for (const [id, entry] of Object.entries(manifest.node ?? {})) {
    const workers = entry.workers ?? {};
    let filename = entry.filename;
    let exportedName = entry.exportedName;
    for (const worker of Object.values(workers)) {
      const w = worker as { filename?: string; exportedName?: string };
      filename ??= w.filename;
      exportedName ??= w.exportedName;
    }
    if (!filename || !exportedName) continue;
    const key = `${filename.replace(/^\.\//, '').replace(/\\/g, '/')}#${exportedName}`;
    refs.set(key, { id, pages: Object.keys(workers).filter((w) => w.endsWith('/page')) });
  }
  return refs;
}

function defaultPath(route: string, tenantSlug: string | undefined): string {
  return route
    .split('/')
    .map((segment) => {
      const dynamic = /^\[(\.\.\.)?(.+)\]$/.exec(segment);
      if (!dynamic) return segment;
      if (dynamic[2] === 'slug' && tenantSlug) return tenantSlug;
      if (dynamic[1]) return dynamic[2];
      return randomUUID();
    })
    .join('/');
}

function call(options: { port: number; host: string; method: string; path: string; headers: Record<string, string>; body?: Buffer }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port: options.port, method: options.method, path: options.path, headers: { ...options.headers, host: options.host } },
      (response) => {
        response.resume();
        response.on('end', () => {
          const redirect = response.headers['x-action-redirect'];
          resolve({ status: response.statusCode ?? 0, location: response.headers.location ?? (typeof redirect === 'string' ? redirect : null) });
        });
      },
    );
    request.on('error', reject);
    request.setTimeout(60_000, () => request.destroy(new Error(`${options.method} ${options.path} timed out`)));
    request.end(options.body);
  });
}

/** A multipart body as React's encodeReply writes it: field 0 the arguments, `1_<name>` the FormData. */
function actionBody(params: readonly ('string' | 'form' | 'state')[]): { body: Buffer; contentType: string } {
  const boundary = `----studio-matrix-${randomUUID()}`;
  const args = params.map((p) => (p === 'form' ? '$K1' : p === 'string' ? randomUUID() : {}));
  const parts = [`--${boundary}\r\nContent-Disposition: form-data; name="0"\r\n\r\n${JSON.stringify(args)}\r\n`];
  parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="1_id"\r\n\r\n${randomUUID()}\r\n`);
  parts.push(`--${boundary}--\r\n`);
  return { body: Buffer.from(parts.join('')), contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * Calls every page, route handler and server action of the app as every caller and compares
 * each answer with the table. Methods that change things are called with an empty body or an
 * unknown id, so a caller who is allowed gets a 400/404 of the entry point itself, and nothing
 * changes.
 */
export async function runHttpMatrix(appDir: string, entries: readonly EntryPoint[], table: PermissionTable | undefined, options: HttpMatrixOptions): Promise<MatrixResult[]> {
  const results: MatrixResult[] = [];
  const actions = actionManifest(options.buildDir ?? path.join(appDir, '.next'));
  const toPath = options.path ?? ((route: string) => defaultPath(route, options.tenantSlug));
  const origin = `http://${options.host}`;

  for (const entry of entries) {
    if (entry.need === null) continue;
    let method: string;
    let target: string | null;
    let extra: Record<string, string> = {};
    let body: Buffer | undefined;
    if (entry.kind === 'action') {
      const wanted = `${entry.file.replace(/\\/g, '/')}#${entry.name}`;
      const ref = [...actions].find(([key]) => key === wanted || key.endsWith(`/${wanted}`))?.[1];
      if (!ref) {
        results.push({ entry, call: `action ${entry.name}`, caller: '-', expected: 'allow', status: 0, location: 'not in .next/server/server-reference-manifest.json (is the app built?)', pass: false });
        continue;
      }
      const page = ref.pages[0];
      const route = page ? `/${page.replace(/^app\//, '').replace(/\/?page$/, '')}`.replace(/\/\([^/]+\)/g, '') : entry.route;
      target = toPath(route === '' ? '/' : route);
      const encoded = actionBody(entry.params ?? ['state', 'form']);
      method = 'POST';
      body = encoded.body;
      extra = { 'next-action': ref.id, 'content-type': encoded.contentType, accept: 'text/x-component', origin };
    } else {
      method = entry.kind === 'page' ? 'GET' : entry.name;
      target = toPath(entry.route);
      if (entry.kind === 'page') extra = { accept: 'text/html' };
      if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
        extra = { 'content-type': 'application/json', origin };
        body = Buffer.from('{}');
      }
      if (method === 'HEAD' || method === 'OPTIONS') continue;
    }
    if (target === null) continue;
    const dynamic = /\[/.test(entry.route) || entry.kind === 'action';
    for (const caller of options.callers) {
      const expected = expectedVerdict(entry, caller.as, table);
      const answer = await call({ port: options.port, host: options.host, method, path: target, headers: { ...caller.headers, ...extra }, body });
      results.push({
        entry,
        call: entry.kind === 'action' ? `action ${entry.name} via ${target}` : `${method} ${target}`,
        caller: caller.label,
        expected,
        status: answer.status,
        location: answer.location,
        pass: keeps(expected, answer, dynamic),
      });
    }
  }
  return results;
}

/** One line per broken promise, for a test's failure message. */
export function describeFailures(results: readonly MatrixResult[]): string {
  return results
    .filter((r) => !r.pass)
    .map((r) => `${r.call} as ${r.caller}: expected ${r.expected}, got ${r.status}${r.location ? ` -> ${r.location}` : ''} (${r.entry.file}, needs ${r.entry.need})`)
    .join('\n');
}

export interface AuthorizationMatrixConfig {
  /** The app's folder (apps/<name>): its src/app is read. */
  appDir: string;
  /** The product's table; absent for the console, whose only need is 'platform-admin'. */
  permissions?: PermissionTable;
  /** The app's gate functions, if not the usual ones (DEFAULT_GATES). */
  gates?: readonly string[];
}
