/**
 * The entry points of a Next app, read from its files: every `page.tsx`, every HTTP method a
 * `route.ts` exports, every function a `'use server'` module exports. For each, the need it
 * declares: the first argument of the first call to one of the app's gates (`pageContext`,
 * `route`, `api`, ...) in its body, or `publicAccess(...)`. A new page without one is found here,
 * with no list to update, and the matrix fails on it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as ts from 'typescript';

export type EntryKind = 'page' | 'route' | 'action';

export interface EntryPoint {
  kind: EntryKind;
  /** The file, relative to the app's folder. */
  file: string;
  /** The URL pattern, e.g. `/customers/[id]` (route groups removed). */
  route: string;
  /** `default` for a page, the HTTP method of a route, the exported name of an action. */
  name: string;
  /** What it declared: a permission, 'member', 'platform-admin', 'public'; null when it declares nothing. */
  need: string | null;
  /** The gate that carries the declaration (`api` for the JSON API, where tokens are accepted). */
  gate: string | null;
  /** The line of the declaration. */
  line: number | null;
  /** An action's parameters, to call it over HTTP: a string (an id bound by its page), the form, or a previous state. */
  params?: ('string' | 'form' | 'state')[];
}

export interface FindOptions {
  /** Functions whose first argument (a string literal) is the declaration. */
  gates?: readonly string[];
}

/** The gates of the three apps and the generated ones; `publicAccess` always counts. */
export const DEFAULT_GATES = ['pageContext', 'getTenantContext', 'route', 'api', 'adminContext', 'adminRoute'] as const;

const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const SOURCE = /\.(ts|tsx)$/;

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else if (SOURCE.test(name)) out.push(full);
  }
  return out;
}

/** `/customers/[id]` from `src/app/customers/[id]/page.tsx` (route groups `(x)` dropped). */
function routeOf(appRoot: string, file: string): string {
  const segments = path.relative(appRoot, path.dirname(file)).split(path.sep).filter((s) => s !== '' && !/^\(.*\)$/.test(s));
  return `/${segments.join('/')}`;
}

type TS = typeof ts;

/** The app's own typescript, else the one beside this kit. */
function loadTypescript(appDir: string): TS {
  try {
    return createRequire(path.join(appDir, 'package.json'))('typescript') as TS;
  } catch {
    return createRequire(import.meta.url)('typescript') as TS;
  }
}

/**
 * Every entry point of the app in `appDir` (its `src/app`, or `app`), sorted by route. Reads the
 * files with the `typescript` package (a peer of this kit: every app has it), synchronously, so a
 * test file can make one test per entry point.
 */
export function findEntryPoints(appDir: string, options: FindOptions = {}): EntryPoint[] {
  const ts = loadTypescript(appDir);
  const gates = new Set([...(options.gates ?? DEFAULT_GATES), 'publicAccess']);
  const appRoot = [path.join(appDir, 'src/app'), path.join(appDir, 'app')].find((p) => {
    try {
      return statSync(p).isDirectory();
    } catch {
      return false;
    }
  });
  if (!appRoot) throw new Error(`findEntryPoints: ${appDir} has no src/app or app folder.`);
  const entries: EntryPoint[] = [];

  for (const file of walk(appRoot)) {
    const text = readFileSync(file, 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    const base = path.basename(file);
    const isPage = /^page\.(tsx|ts)$/.test(base);
    const isRoute = /^route\.(ts|tsx)$/.test(base);
    const firstStatement = source.statements[0];
    const isActions =
      firstStatement !== undefined &&
      ts.isExpressionStatement(firstStatement) &&
      ts.isStringLiteral(firstStatement.expression) &&
      firstStatement.expression.text === 'use server';
    const relative = path.relative(appDir, file);
    // A 'use server' inside a function body is an inline action: the kit cannot see it, so it is refused.
    if (!isActions && /(['"])use server\1/.test(text)) {
      entries.push({ kind: 'action', file: relative, route: routeOf(appRoot, file), name: '(inline "use server")', need: null, gate: null, line: null });
      continue;
    }
    if (!isPage && !isRoute && !isActions) continue;

    const locals = new Map<string, ts.Node>();
    for (const statement of source.statements) {
      if (ts.isFunctionDeclaration(statement) && statement.name) locals.set(statement.name.text, statement);
      if (ts.isVariableStatement(statement)) {
        for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name) && d.initializer) locals.set(d.name.text, d.initializer);
      }
    }
    const exported = new Map<string, ts.Node>();
    const isExported = (node: ts.Node) =>
      ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    const isDefault = (node: ts.Node) =>
      ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    for (const statement of source.statements) {
      if (ts.isFunctionDeclaration(statement) && isExported(statement)) {
        exported.set(isDefault(statement) ? 'default' : (statement.name?.text ?? 'default'), statement);
      } else if (ts.isVariableStatement(statement) && isExported(statement)) {
        for (const d of statement.declarationList.declarations) {
          if (ts.isIdentifier(d.name) && d.initializer) exported.set(d.name.text, d.initializer);
        }
      } else if (ts.isExportAssignment(statement)) {
        const target = ts.isIdentifier(statement.expression) ? locals.get(statement.expression.text) : statement.expression;
        if (target) exported.set('default', target);
      } else if (ts.isExportDeclaration(statement) && !statement.moduleSpecifier && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
        for (const spec of statement.exportClause.elements) {
          const local = locals.get((spec.propertyName ?? spec.name).text);
          if (local) exported.set(spec.name.text, local);
        }
      }
    }

    const declaration = (node: ts.Node): { need: string; gate: string; line: number } | null => {
      let found: { need: string; gate: string; line: number } | null = null;
      const visit = (n: ts.Node): void => {
        if (found) return;
        if (ts.isCallExpression(n)) {
          const callee = n.expression;
          const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : null;
          if (name && gates.has(name)) {
            const first = n.arguments[0];
            const line = source.getLineAndCharacterOfPosition(n.getStart()).line + 1;
            if (name === 'publicAccess') found = { need: 'public', gate: name, line };
            else if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) found = { need: first.text, gate: name, line };
            if (found) return;
          }
        }
        ts.forEachChild(n, visit);
      };
      visit(node);
      return found;
    };

    const route = routeOf(appRoot, file);
    const names = [...exported.keys()].filter((name) => (isPage ? name === 'default' : isRoute ? HTTP_METHODS.has(name) : true));
    if (isPage && names.length === 0) names.push('default');
    for (const name of names) {
      const node = exported.get(name);
      // In a 'use server' module only functions are actions (types and constants are not allowed there anyway).
      if (isActions && node && !(ts.isFunctionDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node))) continue;
      const found = node ? declaration(node) : null;
      const entry: EntryPoint = { kind: isPage ? 'page' : isRoute ? 'route' : 'action', file: relative, route, name, need: found?.need ?? null, gate: found?.gate ?? null, line: found?.line ?? null };
      if (isActions && node && (ts.isFunctionDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node))) {
        entry.params = node.parameters.map((p) => {
          const type = p.type?.getText(source) ?? '';
          return type === 'FormData' ? 'form' : type === 'string' ? 'string' : 'state';
        });
      }
      entries.push(entry);
    }
  }
  return entries.sort((a, b) => a.route.localeCompare(b.route) || a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
}
