import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import base, { appConfig, packageConfig } from '../index.js';

async function ruleIds(config, code, filePath = 'apps/demo/src/app/page.ts') {
  const eslint = new ESLint({ overrideConfigFile: true, overrideConfig: config, cwd: '/tmp' });
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.map((m) => m.ruleId);
}

const violations = [
  "import postgres from 'postgres';",
  "import PgBoss from 'pg-boss';",
  "revalidateTag('invoices');",
  "const host = request.headers.get('host');",
  "if (ctx.membership.role === 'admin') {}",
  'await tdb.delete(invoices);',
].join('\n');

describe('the configs', () => {
  it('stop a product app at every contract rule', async () => {
    const ids = await ruleIds(appConfig(), `${violations}\nexport {};`);
    for (const rule of [
      'studio/no-raw-db-client',
      'studio/tenant-job-only',
      'studio/no-raw-cache-key',
      'studio/no-host-parsing',
      'studio/no-role-admin-check',
      'drizzle/enforce-delete-with-where',
    ]) {
      expect(ids, rule).toContain(rule);
    }
  });

  it('let apps/admin use the admin client, and nobody else', async () => {
    const code = "import { createAdminDatabase } from '@studio/platform';\nexport const x = createAdminDatabase;";
    expect(await ruleIds(appConfig({ admin: true }), code)).not.toContain('studio/no-raw-db-client');
    expect(await ruleIds(appConfig(), code)).toContain('studio/no-raw-db-client');
  });

  it('check roles everywhere, and refuse a disable without a reason', async () => {
    expect(await ruleIds(base, "export const ok = (m: { role: string }) => m.role === 'owner';", 'packages/x/src/a.ts')).toContain('studio/no-role-admin-check');
    const bare = "// eslint-disable-next-line studio/no-role-admin-check\nexport const ok = (m: { role: string }) => m.role === 'owner';";
    expect(await ruleIds(base, bare, 'packages/x/src/a.ts')).toContain('@eslint-community/eslint-comments/require-description');
    const reasoned = "// eslint-disable-next-line studio/no-role-admin-check -- the helper itself\nexport const ok = (m: { role: string }) => m.role === 'owner';";
    expect(await ruleIds(base, reasoned, 'packages/x/src/a.ts')).toEqual([]);
  });

  it('keep process.env in env modules: apps and packages read variables through src/env.ts', async () => {
    const reads = "export const a = process.env.FOO;\nexport const b = process['env'];\nconst { env } = process;\nexport const c = env;\nimport { env as e } from 'node:process';\nexport const d = e;";
    const count = async (config, filePath) => (await ruleIds(config, reads, filePath)).filter((id) => id === 'no-restricted-syntax').length;
    expect(await count(appConfig(), 'src/app/page.tsx')).toBe(4);
    expect(await count(packageConfig(), 'src/storage.ts')).toBe(4);
    // The env modules, the CLIs, the test harness, tests and the tooling scripts may.
    for (const filePath of ['src/env.ts', 'src/env-schema.ts', 'src/config.ts', 'src/cli.ts', 'src/testing/global-setup.ts', 'test/env.test.ts']) {
      expect(await count(packageConfig(), filePath), filePath).toBe(0);
    }
    expect(await count(base, 'src/dev.ts')).toBe(0);
    // Next's runtime switch is not a setting.
    expect(await ruleIds(appConfig(), "export const node = process.env.NEXT_RUNTIME === 'nodejs';", 'src/instrumentation.ts')).toEqual([]);
  });
});
