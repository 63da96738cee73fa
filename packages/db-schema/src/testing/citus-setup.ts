/**
 * Vitest global setup of the Citus phase: with CITUS_URL, one migrated and distributed database
 * for the run (createTestDatabase then hands it to every test file instead of a clone); without
 * it, nothing, and the phase's config runs no test files, saying why.
 */
import type { TestProject } from 'vitest/node';
import { prepareCitusDatabase } from './citus';
import './provided';

export default async function setup(project: TestProject) {
  const citusUrl = process.env.CITUS_URL;
  if (!citusUrl) {
    project.provide('studioCitusDatabase', '');
    return;
  }
  const started = Date.now();
  const database = await prepareCitusDatabase(citusUrl);
  console.log(`Citus phase: ${new URL(database.url).pathname.slice(1)} migrated and distributed in ${Date.now() - started} ms`);
  project.provide('studioCitusDatabase', database.url);
  return () => database.drop();
}
