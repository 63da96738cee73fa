/**
 * `pnpm turbo gen product <name> [port]`: a new product app wired to the tenancy contract.
 * It writes apps/<name> (src/product.ts: defineProductApp; env.ts: t3-env; a tenant page, a contract test), a tenant table
 * `<name>_items` in db-schema, and its migrations (drizzle-kit, plus FORCE RLS and grants).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PlopTypes } from '@turbo/gen';

const NAME = /^[a-z][a-z0-9]{1,30}$/;

export default function generator(plop: PlopTypes.NodePlopAPI): void {
  plop.setGenerator('product', {
    description: 'A product app wired to the tenancy contract',
    prompts: [
      {
        type: 'input',
        name: 'name',
        message: 'Product name (lowercase letters and digits, e.g. notes):',
        validate: (value: string) =>
          NAME.test(value) && value !== 'admin' ? true : 'Use 2 to 31 lowercase letters or digits, starting with a letter (not "admin").',
      },
      {
        type: 'input',
        name: 'port',
        message: 'Port for `pnpm dev`:',
        default: '3004',
        validate: (value: string) => (/^\d{4,5}$/.test(value) && Number(value) < 65536 ? true : 'A port number, e.g. 3004.'),
      },
    ],
    actions: [
      {
        type: 'addMany',
        destination: '{{ turbo.paths.root }}/apps/{{ name }}',
        base: 'templates/product/app',
        templateFiles: 'templates/product/app/**/*',
        globOptions: { dot: true },
        stripExtensions: ['hbs'],
      },
      {
        type: 'add',
        path: '{{ turbo.paths.root }}/packages/db-schema/src/schema/{{ name }}-items.ts',
        templateFile: 'templates/product/schema.ts.hbs',
      },
      (answers) => exportTable(answers as Answers),
      (answers) => migrations(answers as Answers),
    ],
  });
}

interface Answers {
  name: string;
  turbo: { paths: { root: string } };
}

const camel = (name: string) => name.replace(/[-_](.)/g, (_, c: string) => c.toUpperCase());

/** One line in the schema index, which the schema lint reads. */
function exportTable(answers: Answers): string {
  const index = path.join(answers.turbo.paths.root, 'packages/db-schema/src/schema/index.ts');
  const line = `export { ${camel(answers.name)}Items } from './${answers.name}-items';\n`;
  const text = readFileSync(index, 'utf8');
  if (!text.includes(line)) writeFileSync(index, `${text.endsWith('\n') ? text : `${text}\n`}${line}`);
  return `${camel(answers.name)}Items exported from packages/db-schema/src/schema/index.ts`;
}

/** The table's migration (drizzle-kit), then the custom one drizzle-kit cannot write. */
function migrations(answers: Answers): string {
  const dbSchema = path.join(answers.turbo.paths.root, 'packages/db-schema');
  const run = (...args: string[]) => execFileSync('pnpm', ['exec', 'drizzle-kit', ...args], { cwd: dbSchema, stdio: 'pipe' });
  run('generate', '--name', `${answers.name}_items`);
  run('generate', '--custom', '--name', `${answers.name}_contract`);
  const folder = path.join(dbSchema, 'drizzle');
  const custom = readdirSync(folder).filter((f) => f.endsWith(`_${answers.name}_contract.sql`)).sort().at(-1)!;
  const table = `${answers.name}_items`;
  writeFileSync(
    path.join(folder, custom),
    `-- C5 for ${table}: FORCE row-level security (drizzle-kit emits only ENABLE) and the app role's DML.
ALTER TABLE "${table}" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
DO $grants$
DECLARE
  app text := current_setting('studio.app_role');
  admin text := current_setting('studio.admin_role');
BEGIN
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ${table} TO %I', app);
  EXECUTE format('GRANT SELECT ON ${table} TO %I', admin);
END
$grants$;
`,
  );
  return `migrations for ${table} written (${custom})`;
}
