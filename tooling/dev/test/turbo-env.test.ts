// Every variable the README documents reaches the tasks that read it: turbo runs tasks in strict
// env mode, where a variable missing from turbo.json is silently dropped (`pnpm dev` once lost
// INVOICES_*, the public URLs, BETTER_AUTH_SECRET and DATABASE_POOLER; `pnpm test` CHROMIUM_PATH).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');

/** The variables of the README's "Environment variables" table (a row may name several). */
export function readmeVariables(readme: string): string[] {
  const section = readme.split(/^## /m).find((part) => part.startsWith('Environment variables'));
  if (!section) throw new Error('README.md has no "## Environment variables" section');
  const names = section
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|\s*-/.test(line))
    .slice(1) // the header
    .flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((match) => match[1]!));
  return [...new Set(names)];
}

interface TaskConfig {
  env?: string[];
  passThroughEnv?: string[] | null;
}
interface TurboJson {
  globalEnv?: string[];
  globalPassThroughEnv?: string[];
  tasks: Record<string, TaskConfig>;
}

/** The variables a task of turbo.json lets through, as patterns (`DB_*`, `*_PUBLIC_URL`). */
function taskPatterns(turbo: TurboJson, task: string): string[] {
  const config = turbo.tasks[task];
  if (!config) throw new Error(`turbo.json has no task "${task}"`);
  return [...(turbo.globalEnv ?? []), ...(turbo.globalPassThroughEnv ?? []), ...(config.env ?? []), ...(config.passThroughEnv ?? [])];
}

function allowed(patterns: string[], name: string): boolean {
  const matches = (pattern: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(name);
  return patterns.some((pattern) => !pattern.startsWith('!') && matches(pattern)) && !patterns.some((pattern) => pattern.startsWith('!') && matches(pattern.slice(1)));
}

/** The README variables a task of turbo.json would drop. */
export function missing(readme: string, turbo: TurboJson, task: string): string[] {
  const patterns = taskPatterns(turbo, task);
  return readmeVariables(readme).filter((name) => !allowed(patterns, name));
}

describe('turbo.json declares every README environment variable', () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const turbo = JSON.parse(readFileSync(path.join(ROOT, 'turbo.json'), 'utf8')) as TurboJson;

  it('reads the README table', () => {
    const names = readmeVariables(readme);
    expect(names).toEqual(expect.arrayContaining(['DATABASE_URL', 'DB_APP_ROLE', 'DB_ADMIN_PASSWORD', 'TENANT_CONTEXT_KEY', 'INVOICES_BASE_DOMAIN', 'LESSONS_PUBLIC_URL', 'CHROMIUM_PATH']));
    expect(names.length).toBeGreaterThan(20);
  });

  for (const task of ['dev', 'test']) {
    it(`passes each of them to \`pnpm ${task}\``, () => {
      expect(missing(readme, turbo, task), `README variables turbo.json's "${task}" task would drop (add them to its env or passThroughEnv)`).toEqual([]);
    });
  }

  it('fails naming the variable, and counts wildcards', () => {
    const table = '## Environment variables\n| variable | default | used for |\n|---|---|---|\n| `A_ONE`, `B_TWO` | x | y |\n| `C_PUBLIC_URL` | x | y |\n\n## Next\n';
    const config: TurboJson = { globalPassThroughEnv: ['HOME'], tasks: { dev: { passThroughEnv: ['A_*', '*_PUBLIC_URL'] } } };
    expect(missing(table, config, 'dev')).toEqual(['B_TWO']);
  });
});
