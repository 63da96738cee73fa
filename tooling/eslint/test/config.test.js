import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import base, { appConfig } from '../index.js';

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
    const code = "import { createAdminDatabase } from '@studio/tenancy/admin';\nexport const x = createAdminDatabase;";
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
});
