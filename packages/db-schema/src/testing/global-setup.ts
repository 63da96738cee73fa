/**
 * Vitest global setup, after @studio/vitest-config/postgres-setup: migrates one template database
 * for the run. Each test file then clones it (createTestDatabase), which takes milliseconds.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { ensureDatabase } from '../bootstrap';
import { rolesFromEnv, urlForDatabase } from '../config';
import { migrateDatabase } from '../migrate';
import './provided';

export default async function setup(project: TestProject) {
  const serverUrl = process.env.STUDIO_PG_SERVER_URL;
  if (!serverUrl) {
    throw new Error('The migrating setup needs @studio/vitest-config/postgres-setup to run first (database: true).');
  }
  const template = `studio_tpl_${randomBytes(5).toString('hex')}`;
  const sql = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await ensureDatabase(sql, template);
    await migrateDatabase({ url: urlForDatabase(serverUrl, template), roles: rolesFromEnv() });
  } catch (error) {
    await sql.end();
    throw error;
  }
  project.provide('studioTemplateDatabase', template);
  return async () => {
    await sql.unsafe(`drop database if exists "${template}" with (force)`);
    await sql.end();
  };
}
