/**
 * docs/contract.md is one hop from each promise to its files: every file a row of the C1-C16
 * table names in backticks is a path from the repository root to a file that exists (a glob, from
 * the root, matches at least one), and every row names a test. A bare name or partial path is
 * refused even when it is unique today: the next file of the same name would make it ambiguous. The docs' and README's relative links, and the docs/*.md
 * and README.md pointers in source files, reach a file (and a heading, when they name one).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../src/check.mjs';

/** The repository's files, root-relative: tracked or new, never ignored (node_modules, dist, ...). */
const FILES = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' })
  .split('\0')
  .filter((file) => file && existsSync(path.join(ROOT, file)));

/** A backticked span the check reads as a file: a name or path with one of these extensions. */
const FILE_LIKE = /^[\w@.*/-]+\.(?:ts|tsx|sql|md|cjs|mjs|js)$/;
const TEST_FILE = /(?:^|\/)test\/|\.test(?:-d)?\.[cm]?[jt]sx?$/;

/** The files a name stands for: a root path as it is; a glob (root-relative) by pattern; else every file ending with /name. */
export function resolveName(name: string, files: readonly string[] = FILES): string[] {
  if (name.includes('*')) {
    const pattern = new RegExp(`^${name.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`);
    return files.filter((file) => pattern.test(file));
  }
  if (files.includes(name)) return [name];
  return files.filter((file) => file.endsWith(`/${name}`));
}

/** What is wrong with a name, or null: a glob must match, anything else must be a root path of a file. */
export function problemOf(name: string, files: readonly string[] = FILES): string | null {
  const found = resolveName(name, files);
  if (name.includes('*')) return found.length ? null : `\`${name}\`: the glob matches no file (write it from the repository root)`;
  if (files.includes(name)) return null;
  if (!found.length) return `\`${name}\`: no such file`;
  if (found.length === 1) return `\`${name}\`: write the path from the repository root (${found[0]})`;
  return `\`${name}\`: ambiguous, write the path from the repository root (${found.join(', ')})`;
}

export interface ContractRow {
  id: string;
  names: string[];
}

/** The rows of contract.md's table, each with the backticked names that look like files. */
export function contractRows(markdown: string): ContractRow[] {
  return markdown
    .split('\n')
    .filter((line) => /^\|\s*C\d+\s*\|/.test(line))
    .map((line) => ({
      id: /^\|\s*(C\d+)/.exec(line)![1]!,
      names: [...line.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.trim()).filter((span) => FILE_LIKE.test(span)),
    }));
}

/** GitHub's anchors for a markdown file's headings (outside fenced code). */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = !fenced && /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = heading[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count ? `${base}-${count}` : base);
  }
  return anchors;
}

/** What is wrong with a link `target` from the file `from` (root-relative), or null. */
export function linkProblem(from: string, target: string): string | null {
  const [file = '', anchor] = target.split('#');
  const resolved = file ? path.posix.normalize(path.posix.join(path.posix.dirname(from), decodeURI(file))) : from;
  const absolute = path.join(ROOT, resolved);
  if (resolved.startsWith('..') || !existsSync(absolute)) return `${from}: (${target}) reaches no file`;
  if (anchor && resolved.endsWith('.md') && statSync(absolute).isFile() && !anchorsOf(readFileSync(absolute, 'utf8')).has(anchor)) {
    return `${from}: (${target}) names no heading of ${resolved}`;
  }
  return null;
}

/** The relative links of a markdown file (outside fenced code): web, mail and absolute ones left out. */
export function relativeLinks(markdown: string): string[] {
  const links: string[] = [];
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) continue;
    for (const m of line.replace(/`[^`]*`/g, '').matchAll(/\]\(<?([^)\s>]+)>?(?:\s+"[^"]*")?\)/g)) {
      const target = m[1]!;
      if (!/^[a-z][\w+.-]*:/i.test(target) && !target.startsWith('/')) links.push(target);
    }
  }
  return links;
}

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

describe('docs/contract.md: each promise one hop from its files and tests', () => {
  const rows = contractRows(read('docs/contract.md'));

  it('has the rows C1-C16', () => {
    expect(rows.map((row) => row.id)).toEqual(Array.from({ length: 16 }, (_, i) => `C${i + 1}`));
  });

  for (const row of rows) {
    it(`${row.id}: every file it names is a root path of a file, and a test is among them`, () => {
      expect(row.names.map((name) => problemOf(name)).filter(Boolean)).toEqual([]);
      expect(row.names.flatMap((name) => resolveName(name)).filter((file) => TEST_FILE.test(file)).length, `${row.id} names no test file`).toBeGreaterThan(0);
    });
  }
});

describe('the docs and README link to files that exist', () => {
  const docs = ['README.md', 'CONTRIBUTING.md', ...FILES.filter((file) => /^docs\/[^/]+\.md$/.test(file))].filter((file) => FILES.includes(file));

  for (const doc of docs) {
    it(`${doc}: every relative link reaches its file (and heading)`, () => {
      expect(relativeLinks(read(doc)).map((target) => linkProblem(doc, target)).filter(Boolean)).toEqual([]);
    });
  }

  it('source files that point a reader to docs/*.md or README.md point to a file and heading that exist', () => {
    const sources = FILES.filter((file) => /^(?:apps|packages|tooling)\/[^/]+\/src\/.*\.(?:[cm]?[jt]sx?)$/.test(file));
    const problems: string[] = [];
    for (const file of sources) {
      for (const m of read(file).matchAll(/(?<![\w/.-])(?:docs\/[\w.-]+|README|CONTRIBUTING)\.md(?:#[\w-]+)?/g)) {
        const problem = linkProblem('README.md', m[0]);
        if (problem) problems.push(`${file}: ${problem.replace(/^README\.md: /, '')}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('the check itself', () => {
  const files = ['packages/a/src/cache.ts', 'apps/b/src/cache.ts', 'packages/a/test/x.test.ts', 'docs/contract.md'];

  it('takes a path from the root; refuses a bare name or partial path (saying the path), an ambiguous or missing one', () => {
    expect(problemOf('packages/a/src/cache.ts', files)).toBeNull();
    expect(problemOf('x.test.ts', files)).toMatch(/write the path from the repository root \(packages\/a\/test\/x\.test\.ts\)/);
    expect(problemOf('a/test/x.test.ts', files)).toMatch(/write the path/);
    expect(problemOf('src/cache.ts', files)).toMatch(/ambiguous/);
    expect(problemOf('y.test.ts', files)).toMatch(/no such file/);
    expect(problemOf('ackages/a/src/cache.ts', files)).toMatch(/no such file/);
  });

  it('takes a glob from the root that matches', () => {
    expect(problemOf('*/*/src/cache.ts', files)).toBeNull();
    expect(problemOf('*.test.ts', files)).toMatch(/matches no file/);
  });

  it('reads file names from a row, and anchors as GitHub writes them', () => {
    expect(contractRows('| C1 | a `b.ts` and `pnpm db:lint` | `test/c.test.ts`; [x](y.md) |')).toEqual([{ id: 'C1', names: ['b.ts', 'test/c.test.ts'] }]);
    expect([...anchorsOf('# The driver\n## Why `pg`, not postgres.js?\n```\n# not a heading\n```\n## The driver')]).toEqual([
      'the-driver',
      'why-pg-not-postgresjs',
      'the-driver-1',
    ]);
  });
});
