import { RuleTester } from 'eslint';
import drizzle from 'eslint-plugin-drizzle';
import tseslint from 'typescript-eslint';
import { afterAll, describe, it } from 'vitest';
import studio from '../plugin/index.js';

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({ languageOptions: { parser: tseslint.parser, ecmaVersion: 2024, sourceType: 'module' } });
const rules = studio.rules;

tester.run('no-raw-db-client', rules['no-raw-db-client'], {
  valid: [
    "import { createDatabase } from '@studio/tenancy';",
    "import { invoices } from '@studio/db-schema/schema';",
    "import { getTenancy } from '~/tenancy';",
    { code: "import { createAdminDatabase } from '@studio/platform';", options: [{ allowAdmin: true }] },
  ],
  invalid: [
    { code: "import postgres from 'postgres';", errors: [{ messageId: 'raw' }] },
    { code: "import { drizzle } from 'drizzle-orm/postgres-js';", errors: [{ messageId: 'raw' }] },
    { code: "import pg from 'pg';", errors: [{ messageId: 'raw' }] },
    { code: "export { migrateDatabase } from '@studio/db-schema/migrate';", errors: [{ messageId: 'raw' }] },
    { code: "const m = await import('postgres');", errors: [{ messageId: 'raw' }] },
    { code: "const pg = require('pg');", errors: [{ messageId: 'raw' }] },
    { code: "import { createAdminDatabase } from '@studio/platform';", errors: [{ messageId: 'admin' }] },
    { code: "import { exportTenant } from '@studio/platform/lifecycle';", errors: [{ messageId: 'admin' }] },
    { code: "import { exportTenant } from '@studio/tenancy/lifecycle';", errors: [{ messageId: 'admin' }] },
  ],
});

tester.run('no-role-admin-check', rules['no-role-admin-check'], {
  valid: [
    "if (hasTenantRole(ctx.membership, 'admin')) {}",
    "requireTenantRole(ctx, 'owner');",
    "if (membership.role === 'member') {}",
    "if (user.kind === 'admin') {}",
    "const label = role === roleName;",
  ],
  invalid: [
    { code: "if (ctx.membership.role === 'admin') {}", errors: [{ messageId: 'compare', data: { value: 'admin' } }] },
    { code: "if ('owner' == member.role) {}", errors: [{ messageId: 'compare' }] },
    { code: "const ok = m['role'] !== 'admin';", errors: [{ messageId: 'compare' }] },
    { code: "if (role === 'owner') {}", errors: [{ messageId: 'compare' }] },
    { code: "switch (m.role) { case 'admin': break; case 'member': break; }", errors: [{ messageId: 'compare' }] },
  ],
});

tester.run('no-raw-cache-key', rules['no-raw-cache-key'], {
  valid: ["revalidateTag(tenantTag(ctx, 'invoices'));", 'cacheTag(tenantTag(ctx, name));', "tenantCache(ctx).wrap(['summary'], compute);"],
  invalid: [
    { code: "revalidateTag('invoices');", errors: [{ messageId: 'tag', data: { name: 'revalidateTag' } }] },
    { code: 'revalidateTag(`invoices-${id}`);', errors: [{ messageId: 'tag' }] },
    { code: "cacheTag('dashboard');", errors: [{ messageId: 'tag' }] },
    { code: "next.updateTag('x');", errors: [{ messageId: 'tag' }] },
    { code: "const get = unstable_cache(load, ['invoices']);", errors: [{ messageId: 'cache' }] },
  ],
});

tester.run('no-host-parsing', rules['no-host-parsing'], {
  valid: [
    { code: "const h = request.headers.get('host');", filename: '/repo/apps/invoices/src/proxy.ts' },
    "const ctx = await getTenancy().getTenantContext();",
    "const type = request.headers.get('content-type');",
    'const p = request.nextUrl.pathname;',
  ],
  invalid: [
    { code: "const h = (await headers()).get('host');", filename: '/repo/apps/invoices/src/app/page.tsx', errors: [{ messageId: 'host' }] },
    { code: "const h = request.headers.get('X-Forwarded-Host');", errors: [{ messageId: 'host' }] },
    { code: 'const slug = new URL(request.url).hostname.split(".")[0];', errors: [{ messageId: 'host' }] },
    { code: 'const h = request.nextUrl.host;', errors: [{ messageId: 'host' }] },
  ],
});

tester.run('tenant-job-only', rules['tenant-job-only'], {
  valid: ["import { createTenantJobs } from '@studio/tenancy/jobs';", "const job = jobs.defineTenantJob('invoice.remind', handler);"],
  invalid: [
    { code: "import PgBoss from 'pg-boss';", errors: [{ messageId: 'queue', data: { source: 'pg-boss' } }] },
    { code: "import { Queue } from 'bullmq';", errors: [{ messageId: 'queue' }] },
    { code: "const { run } = await import('graphile-worker');", errors: [{ messageId: 'queue' }] },
  ],
});

// eslint-plugin-drizzle, as the app config sets it up.
tester.run('drizzle/enforce-delete-with-where', drizzle.rules['enforce-delete-with-where'], {
  valid: [{ code: 'await tdb.delete(invoices).where(eq(invoices.id, id));', options: [{ drizzleObjectName: ['db', 'tdb', 'tx'] }] }],
  invalid: [{ code: 'await tdb.delete(invoices);', options: [{ drizzleObjectName: ['db', 'tdb', 'tx'] }], errors: 1 }],
});
tester.run('drizzle/enforce-update-with-where', drizzle.rules['enforce-update-with-where'], {
  valid: [{ code: "await tx.update(invoices).set({ status: 'void' }).where(eq(invoices.id, id));", options: [{ drizzleObjectName: ['db', 'tdb', 'tx'] }] }],
  invalid: [{ code: "await tx.update(invoices).set({ status: 'void' });", options: [{ drizzleObjectName: ['db', 'tdb', 'tx'] }], errors: 1 }],
});
