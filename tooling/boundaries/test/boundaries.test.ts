/**
 * The boundary check (`pnpm lint`) fails on what it is for: a product importing the platform
 * side, anyone importing another package's src/internal/ or reaching past its `exports`, and an
 * import cycle. Each probe is a file written into the real tree for the length of one check (the
 * rules are about where a file is), then removed.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkBoundaries, cruisePackage, ROOT } from '../src/check.mjs';

const written: string[] = [];
afterEach(async () => {
  await Promise.all(written.splice(0).map((file) => rm(path.join(ROOT, file), { recursive: true, force: true })));
});

/** Writes `files` (root-relative path -> source), cruises them as part of `dir`, returns the rules broken. */
async function probe(dir: string, files: Record<string, string>): Promise<string[]> {
  for (const [file, source] of Object.entries(files)) {
    written.push(file);
    await mkdir(path.dirname(path.join(ROOT, file)), { recursive: true });
    await writeFile(path.join(ROOT, file), source);
  }
  const { violations } = await cruisePackage(Object.keys(files), { dir });
  return [...new Set((violations as { rule: { name: string } }[]).map((v) => v.rule.name))].sort();
}

const probeName = (dir: string) => `${dir}/src/__boundary-probe-${randomUUID().slice(0, 8)}.ts`;

describe('the boundary check', () => {
  it('passes on the repository as it is', async () => {
    const { violations, report } = await checkBoundaries();
    expect(report).toBe('');
    expect(violations).toEqual([]);
  }, 120_000);

  it('passes a product importing the public entry points (the control)', async () => {
    const file = probeName('apps/lessons');
    expect(await probe('apps/lessons', { [file]: "export { createDatabase } from '@studio/tenancy';\nexport { audit } from '@studio/tenancy/audit';\nexport { getDb } from '~/product';\n" })).toEqual([]);
  });

  it('fails a product importing @studio/platform, its lifecycle, or the export engine', async () => {
    for (const specifier of ['@studio/platform', '@studio/platform/lifecycle', '@studio/tenancy/lifecycle']) {
      const file = probeName('apps/lessons');
      expect(await probe('apps/lessons', { [file]: `export * from '${specifier}';\n` }), specifier).toContain('products-not-platform');
    }
    const invoices = probeName('apps/invoices');
    expect(await probe('apps/invoices', { [invoices]: "export { createAdminDatabase } from '@studio/platform';\n" })).toContain('products-not-platform');
  });

  it('fails any package but apps/admin and the CLI importing @studio/platform', async () => {
    const file = `packages/auth/src/__boundary-probe-${randomUUID().slice(0, 8)}.ts`;
    expect(await probe('packages/auth', { [file]: "export { createAdminDatabase } from '@studio/platform';\n" })).toContain('platform-only-for-admin-and-cli');
    const admin = probeName('apps/admin');
    expect(await probe('apps/admin', { [admin]: "export { createAdminDatabase } from '@studio/platform';\n" })).toEqual([]);
  });

  it("fails an import of another package's internal folder or past its exports", async () => {
    const relative = probeName('apps/lessons');
    expect(await probe('apps/lessons', { [relative]: "export { formatWait } from '../../../packages/tenancy/src/internal/format';\n" })).toEqual([
      'no-internal-of-another-package',
      'only-public-entry-points',
    ]);
    const deep = probeName('apps/lessons');
    expect(await probe('apps/lessons', { [deep]: "export { formatWait } from '@studio/tenancy/src/internal/format';\n" })).toEqual(['no-unresolvable']);
    const fromPlatform = `packages/platform/src/__boundary-probe-${randomUUID().slice(0, 8)}.ts`;
    expect(await probe('packages/platform', { [fromPlatform]: "export { sharedRedis } from '../../tenancy/src/internal/redis';\n" })).toEqual([
      'no-internal-of-another-package',
      'only-public-entry-points',
    ]);
  });

  it('fails an import cycle, type-only imports included', async () => {
    const dir = `tooling/boundaries/src/__boundary-probe-${randomUUID().slice(0, 8)}`;
    written.push(dir);
    expect(
      await probe('tooling/boundaries', {
        [`${dir}/a.ts`]: "import type { B } from './b';\nexport type A = { b?: B };\n",
        [`${dir}/b.ts`]: "import type { A } from './a';\nexport type B = { a?: A };\n",
      }),
    ).toEqual(['no-circular']);
  });

  it("keeps the generator's templates (which dependency-cruiser cannot read as .hbs) off the platform side", async () => {
    const { readdir } = await import('node:fs/promises');
    const templates = path.join(ROOT, 'turbo/generators/templates');
    const files = (await readdir(templates, { recursive: true })).filter((f) => f.endsWith('.hbs'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const text = await readFile(path.join(templates, file), 'utf8');
      expect(text, file).not.toMatch(/@studio\/(platform|tenancy\/lifecycle)\b/);
    }
  });
});
