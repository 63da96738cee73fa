/**
 * The database commands behind `pnpm db:*`: migrate, check, seed, lint, info.
 * Without DATABASE_URL they act on the dev database that `pnpm dev` runs.
 */
import Table from 'cli-table3';
import { readDevState } from '@studio/pg-server';
import { checkDatabase } from './check';
import { distributeDatabase, DistributeError, isDistributed } from './distribute';
import { databaseUrls, readDbEnv, redactUrl, rolesFromEnv, urlForDatabase } from './config';
import { formatViolations, lintSchema } from './lint/schema-lint';
import { guardMigrations, MigrationGuardError, pendingMigrations, readJournal } from './migration-guard';
import { migrateDatabase, migrationsFolder } from './migrate';
import postgres from 'postgres';
import * as schema from './schema/index';
import { seedDemo } from './seed';

const usage = `Usage: pnpm db:<command>

  db:migrate   apply pending migrations (creates the roles when connected as a superuser);
               refuses an unmarked destructive migration, and Fridays unless --friday-ok
  db:distribute  convert a migrated database on a Citus coordinator (reference and distributed
               tables, policies Citus accepts, the context keys on every worker); safe to re-run,
               and re-run it after db:migrate added a context key or a worker was added
  db:check     check the live database against the contract (RLS forced, roles); exit 1 on failure
  db:seed      add the demo tenants unless they are there
  db:lint      check the drizzle schema against the contract (C1, C2); exit 1 on failure
  db:info      print the connection URLs of the owner, app and admin roles

The database is DATABASE_URL when set, otherwise the dev database started by \`pnpm dev\`.`;

class UsageError extends Error {}

function migrateUrl(): string {
  const env = readDbEnv();
  if (env.DATABASE_URL) return env.DATABASE_URL;
  const dev = readDevState();
  if (dev) return urlForDatabase(dev.serverUrl, dev.database);
  throw new UsageError('No database to work on: set DATABASE_URL, or start the dev database with `pnpm dev` in another terminal.');
}

async function main(command: string | undefined, flags: string[]): Promise<number> {
  const unknown = flags.find((flag) => !(command === 'migrate' && flag === '--friday-ok'));
  if (unknown) throw new UsageError(`Unknown option "${unknown}" for ${command}.\n\n${usage}`);
  switch (command) {
    case 'migrate': {
      const url = migrateUrl();
      const probe = postgres(url, { max: 1, onnotice: () => {} });
      try {
        const pending = await pendingMigrations(probe, migrationsFolder).catch((error: { code?: string }) => {
          // The database does not exist yet (migrate creates it): every migration is pending.
          if (error.code === '3D000') return readJournal(migrationsFolder);
          throw error;
        });
        if (pending.length === 0) console.log('No pending migrations.');
        // A database db:distribute converted: the Citus rules apply too.
        const citus = pending.length > 0 && (await isDistributed(probe).catch(() => false));
        await guardMigrations(pending, migrationsFolder, { fridayOk: flags.includes('--friday-ok'), citus });
      } finally {
        await probe.end();
      }
      console.log(`Migrating ${redactUrl(url)} ...`);
      await migrateDatabase({ url, roles: rolesFromEnv() });
      console.log('Migrations applied.');
      return 0;
    }
    case 'distribute': {
      const url = migrateUrl();
      console.log(`Distributing ${redactUrl(url)} ...`);
      await distributeDatabase({ url, roles: rolesFromEnv() });
      console.log('Distributed. Check it with pnpm db:check.');
      return 0;
    }
    case 'check': {
      const url = migrateUrl();
      const results = await checkDatabase({ url, roles: rolesFromEnv() });
      const table = new Table({
        head: ['check', 'result', 'detail'],
        style: { head: [], border: [] },
        chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
      });
      for (const r of results) table.push([r.check, r.ok ? 'ok' : 'FAIL', r.detail]);
      console.log(table.toString());
      const failed = results.filter((r) => !r.ok).length;
      console.log(failed === 0 ? `All ${results.length} checks passed.` : `${failed} of ${results.length} checks failed.`);
      return failed === 0 ? 0 : 1;
    }
    case 'seed': {
      const urls = databaseUrls(migrateUrl());
      const result = await seedDemo(urls.owner);
      console.log(result.seeded ? `Seeded ${result.tenants} demo tenants.` : 'Demo tenants already there; nothing to do.');
      return 0;
    }
    case 'lint': {
      const violations = lintSchema(schema);
      if (violations.length === 0) {
        console.log('Schema lint: every table follows the tenancy contract.');
        return 0;
      }
      console.error(`Schema lint: ${violations.length} problem(s):\n${formatViolations(violations)}`);
      return 1;
    }
    case 'info': {
      const urls = databaseUrls(migrateUrl());
      console.log(`owner  ${urls.owner}\napp    ${urls.app}\nadmin  ${urls.admin}\n`);
      console.log(`Open it with psql, e.g.:  psql '${urls.app}'`);
      return 0;
    }
    case undefined:
    case 'help':
    case '--help':
      console.log(usage);
      return command ? 0 : 2;
    default:
      throw new UsageError(`Unknown command "${command}".\n\n${usage}`);
  }
}

main(process.argv[2], process.argv.slice(3)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof MigrationGuardError || error instanceof DistributeError) {
      console.error(`Refused: ${error.message}`);
      process.exit(1);
    }
    const err = error as { message?: string; code?: string };
    const message = err.code === 'ECONNREFUSED' ? `Could not connect to the database (${err.message}). Is it running?` : err.message;
    console.error(`Error: ${message ?? String(error)}`);
    if (process.env.DEBUG) console.error(error);
    process.exit(2);
  },
);
