/**
 * The product template without running the generator (generator.test.ts does that, slowly): its
 * package.json declares every package its files import (a workspace package missing there
 * resolves in this repo's hoisted install only by luck, and `pnpm install` of a fresh app fails),
 * and its env.ts, next.config.ts and instrumentation.ts are the shipped apps' one-call setup
 * (defineAppEnv, productNextConfig, registerProductServer), so the template cannot drift.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const APP = path.join(ROOT, 'turbo/generators/templates/product/app');

/** The packages a source text imports (static and dynamic), by package name. */
export function importedPackages(text: string): string[] {
  const specifiers = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)'([^']+)'/gm)].map((match) => match[1]!);
  return specifiers
    .filter((s) => !s.startsWith('.') && !s.startsWith('~/') && !s.startsWith('node:') && !builtinModules.includes(s))
    .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!));
}

function templateFiles(): string[] {
  return (readdirSync(APP, { recursive: true }) as string[]).filter((file) => /\.(ts|tsx|js|mjs)(\.hbs)?$/.test(file));
}

describe('the product template', () => {
  it('declares every package it imports', () => {
    const pkg = JSON.parse(readFileSync(path.join(APP, 'package.json.hbs'), 'utf8').replace(/\{\{[^}]*\}\}/g, 'x')) as {
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    const declared = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})]);
    const missing = templateFiles().flatMap((file) =>
      importedPackages(readFileSync(path.join(APP, file), 'utf8'))
        .filter((name) => !declared.has(name))
        .map((name) => `${file}: ${name}`),
    );
    expect(missing, 'add these to turbo/generators/templates/product/app/package.json.hbs').toEqual([]);
  });

  it('sets up env, next.config and instrumentation as the shipped apps do, in one call each', () => {
    const read = (file: string) => readFileSync(path.join(APP, file), 'utf8');
    expect(read('src/env.ts.hbs')).toMatch(/defineAppEnv\(\{/);
    expect(read('src/env.ts.hbs')).not.toMatch(/\bget \w+\(\)/);
    expect(read('next.config.ts')).toBe(readFileSync(path.join(ROOT, 'apps/lessons/next.config.ts'), 'utf8'));
    expect(read('src/instrumentation.ts.hbs')).toMatch(/registerProductServer\(\{ name: '\{\{ name \}\}', validateEnv \}\)/);
    for (const app of ['invoices', 'lessons', 'admin']) {
      expect(readFileSync(path.join(ROOT, 'apps', app, 'next.config.ts'), 'utf8')).toMatch(/productNextConfig\(\{ dir: import\.meta\.dirname, validateEnv \}\)/);
      expect(readFileSync(path.join(ROOT, 'apps', app, 'src/env.ts'), 'utf8')).toMatch(/defineAppEnv\(\{/);
      expect(readFileSync(path.join(ROOT, 'apps', app, 'src/instrumentation.ts'), 'utf8')).toMatch(/registerProductServer\(\{ name: '\w+', validateEnv/);
    }
  });

  it('finds static, dynamic and side-effect imports', () => {
    const text = "import { a } from '@studio/ui/lists';\nimport 'server-only';\nconst b = await import('next/server');\nimport x from './x';\nimport path from 'node:path';\nimport fs from 'fs';";
    expect(importedPackages(text)).toEqual(['@studio/ui', 'server-only', 'next']);
  });
});
