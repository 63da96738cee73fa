/**
 * The tenancy contract as lint rules (plugin "studio"). Each message names the API to use
 * instead. Apps get all of them (configs.app); the whole repo gets no-role-admin-check.
 */

/** @param {string} file */
const isProxyFile = (file) => /(^|[\\/])(src[\\/])?proxy\.[cm]?[jt]sx?$/.test(file);

/** The module a node imports, for `import`, `export ... from`, `import()` and `require()`. */
function importedSources(context, report) {
  const check = (node, source) => {
    if (typeof source === 'string') report(node, source);
  };
  return {
    ImportDeclaration: (node) => check(node, node.source.value),
    ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
    ExportAllDeclaration: (node) => check(node, node.source.value),
    ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    CallExpression: (node) => {
      if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') {
        check(node, node.arguments[0].value);
      }
    },
  };
}

const RAW_DB_MODULES = [
  'postgres',
  'pg',
  'pg-pool',
  'drizzle-orm/postgres-js',
  'drizzle-orm/node-postgres',
  'drizzle-orm/pg-proxy',
  '@studio/db-schema/migrate',
  '@studio/db-schema/bootstrap',
  '@studio/db-schema/testing',
  '@studio/db-schema/seed',
];

/** The platform package and the export engine under it: apps/admin only (the boundary check says the same). */
const PLATFORM_MODULE = /^@studio\/(platform(\/.*)?|tenancy\/lifecycle)$/;

/** @type {import('eslint').Rule.RuleModule} */
const noRawDbClient = {
  meta: {
    type: 'problem',
    docs: { description: 'Apps reach the database only through the scoped client (C3).' },
    schema: [{ type: 'object', properties: { allowAdmin: { type: 'boolean' } }, additionalProperties: false }],
    messages: {
      raw: "'{{source}}' is a raw database client. Apps read and write through the scoped client: getTenantContext().db, or db.tenant(id) from @studio/tenancy.",
      admin: "'{{source}}' (the platform side: the BYPASSRLS client, tenant lifecycle) is for apps/admin only. Use getTenantContext().db.",
    },
  },
  create(context) {
    const allowAdmin = context.options[0]?.allowAdmin === true;
    return importedSources(context, (node, source) => {
      if (RAW_DB_MODULES.includes(source)) context.report({ node, messageId: 'raw', data: { source } });
      else if (PLATFORM_MODULE.test(source) && !allowAdmin) context.report({ node, messageId: 'admin', data: { source } });
    });
  },
};

const ROLE_VALUES = new Set(['admin', 'owner']);

/** `x.role`, `x['role']`, or a plain `role` variable. */
function isRoleRef(node) {
  if (node.type === 'Identifier') return node.name === 'role';
  if (node.type !== 'MemberExpression') return false;
  if (!node.computed && node.property.type === 'Identifier') return node.property.name === 'role';
  return node.property.type === 'Literal' && node.property.value === 'role';
}

const isRoleLiteral = (node) => node.type === 'Literal' && ROLE_VALUES.has(node.value);

/** @type {import('eslint').Rule.RuleModule} */
const noRoleAdminCheck = {
  meta: {
    type: 'problem',
    docs: { description: "Tenant roles are checked with the auth helpers, never with role === 'admin' (C7)." },
    schema: [],
    messages: {
      compare:
        "Do not compare a role to '{{value}}'. Use requireTenantRole(ctx, '{{value}}') or hasTenantRole(membership, '{{value}}') from @studio/auth (owner counts as admin); platform staff is requirePlatformAdmin(session).",
    },
  },
  create(context) {
    const report = (node, literal) => context.report({ node, messageId: 'compare', data: { value: literal.value } });
    return {
      BinaryExpression(node) {
        if (!['===', '!==', '==', '!='].includes(node.operator)) return;
        if (isRoleRef(node.left) && isRoleLiteral(node.right)) report(node, node.right);
        else if (isRoleRef(node.right) && isRoleLiteral(node.left)) report(node, node.left);
      },
      SwitchStatement(node) {
        if (!isRoleRef(node.discriminant)) return;
        for (const c of node.cases) if (c.test && isRoleLiteral(c.test)) report(c, c.test);
      },
    };
  },
};

const TAG_CALLS = new Set(['revalidateTag', 'updateTag', 'cacheTag', 'unstable_cacheTag']);
const isLiteralString = (node) => node && ((node.type === 'Literal' && typeof node.value === 'string') || node.type === 'TemplateLiteral');

/** @type {import('eslint').Rule.RuleModule} */
const noRawCacheKey = {
  meta: {
    type: 'problem',
    docs: { description: 'Cache keys and tags are tenant-prefixed by construction (C8).' },
    schema: [],
    messages: {
      tag: "{{name}}() with a literal tag is shared by every tenant. Use {{name}}(tenantTag(ctx, 'name')) from @studio/tenancy/cache.",
      cache: 'unstable_cache() keys here are shared by every tenant. Use tenantCache(ctx).wrap([...parts], compute) from @studio/tenancy/cache.',
    },
  },
  create(context) {
    return {
      CallExpression(node) {
        const name = node.callee.type === 'Identifier' ? node.callee.name : node.callee.type === 'MemberExpression' && !node.callee.computed ? node.callee.property.name : null;
        if (!name) return;
        if (TAG_CALLS.has(name) && node.arguments.some(isLiteralString)) context.report({ node, messageId: 'tag', data: { name } });
        if (name === 'unstable_cache') context.report({ node, messageId: 'cache' });
      },
    };
  },
};

const HOST_HEADERS = new Set(['host', 'x-forwarded-host', ':authority']);

/** @type {import('eslint').Rule.RuleModule} */
const noHostParsing = {
  meta: {
    type: 'problem',
    docs: { description: 'The tenant is resolved once, in proxy.ts; nothing downstream reads the host (C6).' },
    schema: [],
    messages: {
      host: 'Reading the host outside proxy.ts re-resolves the tenant. Use getTenantContext() (or getTenant()) from the app\'s tenancy module.',
    },
  },
  create(context) {
    if (isProxyFile(context.filename)) return {};
    return {
      CallExpression(node) {
        const callee = node.callee;
        if (callee.type !== 'MemberExpression' || callee.computed || callee.property.name !== 'get') return;
        const arg = node.arguments[0];
        if (arg?.type === 'Literal' && typeof arg.value === 'string' && HOST_HEADERS.has(arg.value.toLowerCase())) context.report({ node, messageId: 'host' });
      },
      MemberExpression(node) {
        if (node.computed || node.property.type !== 'Identifier') return;
        if (node.property.name === 'hostname') context.report({ node, messageId: 'host' });
        else if (node.property.name === 'host' && node.object.type === 'MemberExpression' && !node.object.computed && node.object.property.name === 'nextUrl') {
          context.report({ node, messageId: 'host' });
        }
      },
    };
  },
};

const QUEUE_MODULES = ['pg-boss', 'graphile-worker', 'bullmq', 'bull', 'bee-queue', 'agenda'];

/** @type {import('eslint').Rule.RuleModule} */
const tenantJobOnly = {
  meta: {
    type: 'problem',
    docs: { description: 'Apps enqueue background work only as tenant jobs (C9).' },
    schema: [],
    messages: {
      queue: "'{{source}}' runs jobs without a tenant. Declare them with defineTenantJob(name, handler) from createTenantJobs() in @studio/tenancy/jobs and enqueue(ctx, payload).",
    },
  },
  create(context) {
    return importedSources(context, (node, source) => {
      if (QUEUE_MODULES.includes(source)) context.report({ node, messageId: 'queue', data: { source } });
    });
  },
};

const plugin = {
  meta: { name: 'studio' },
  rules: {
    'no-raw-db-client': noRawDbClient,
    'no-role-admin-check': noRoleAdminCheck,
    'no-raw-cache-key': noRawCacheKey,
    'no-host-parsing': noHostParsing,
    'tenant-job-only': tenantJobOnly,
  },
};

export default plugin;
