/**
 * Test helpers: a fresh, migrated database per test file, with the URLs of every role. Only for
 * vitest runs that use the studio config with `database: true` and the migrating global setup.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { ensureDatabase, grantDatabaseAccess } from '../bootstrap';
import { databaseUrls, readDbEnv, rolesFromEnv, urlForDatabase, type DatabaseUrls, type Roles } from '../config';
import { migrateDatabase } from '../migrate';
import './provided';

export { explainRouting, type Routing } from './citus';

export interface TestDatabase {
  name: string;
  /** Superuser URL of the server (not of this database). */
  serverUrl: string;
  /** Connection URLs of this database: migrate (superuser), owner, app, admin. */
  urls: DatabaseUrls;
  roles: Roles;
  drop(): Promise<void>;
}

export interface CreateTestDatabaseOptions {
  /** Other role names: the database is then migrated from scratch for them (slower). */
  roles?: Roles;
}

function serverUrl(): string {
  return inject('pgServerUrl');
}

export async function createTestDatabase(options: CreateTestDatabaseOptions = {}): Promise<TestDatabase> {
  // The Citus phase: every file shares the run's one distributed database (no clones there).
  const citus = inject('studioCitusDatabase');
  if (citus) return citusTestDatabase(citus, options.roles ?? rolesFromEnv());
  const server = serverUrl();
  const name = `studio_t_${randomBytes(6).toString('hex')}`;
  const roles = options.roles ?? rolesFromEnv();
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  try {
    if (options.roles) {
      await ensureDatabase(admin, name);
      await migrateDatabase({ url: urlForDatabase(server, name), roles });
    } else {
      await cloneTemplate(admin, name, inject('studioTemplateDatabase'));
      // A clone copies everything inside the database, but not its own ACL (CONNECT, TEMPORARY).
      const inside = postgres(urlForDatabase(server, name), { max: 1, onnotice: () => {} });
      try {
        await grantDatabaseAccess(inside, name, roles);
      } finally {
        await inside.end();
      }
    }
  } finally {
    await admin.end();
  }
  const migrateUrl = urlForDatabase(server, name);
  return {
    name,
    serverUrl: server,
    urls: databaseUrls(migrateUrl, { ...readDbEnv(), DATABASE_APP_URL: undefined, DATABASE_AUTH_URL: undefined, DATABASE_JOBS_URL: undefined, DATABASE_ADMIN_URL: undefined }, roles),
    roles,
    async drop() {
      const sql = postgres(server, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await sql.end();
      }
    },
  };
}

function citusTestDatabase(url: string, roles: Roles): TestDatabase {
  const name = new URL(url).pathname.slice(1);
  return {
    name,
    serverUrl: urlForDatabase(url, 'postgres'),
    urls: databaseUrls(url, { ...readDbEnv(), DATABASE_APP_URL: undefined, DATABASE_AUTH_URL: undefined, DATABASE_JOBS_URL: undefined, DATABASE_ADMIN_URL: undefined }, roles),
    roles,
    // The global setup drops it at the end of the run.
    async drop() {},
  };
}

async function cloneTemplate(sql: postgres.Sql, name: string, template: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await sql.unsafe(`create database "${name}" template "${template}"`);
      return;
    } catch (error) {
      // 55006: another clone of the same template is starting; wait and try again.
      if ((error as { code?: string }).code !== '55006' || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25 * attempt));
    }
  }
}
