/**
 * Vitest global setup: gives the run a Postgres server. With DATABASE_URL set, that server is
 * used (each run makes its own databases on it); otherwise an embedded PostgreSQL starts on a
 * free port in a temporary folder, fresh for the run, removed after it.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '@studio/pg-server';
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A superuser URL of the run's Postgres server (database part: the maintenance db). */
    pgServerUrl: string;
    /** 'embedded' or 'service'. */
    pgServerKind: string;
  }
}

export default async function setup(project: TestProject) {
  const given = process.env.DATABASE_URL;
  if (given) {
    project.provide('pgServerUrl', given);
    project.provide('pgServerKind', 'service');
    process.env.STUDIO_PG_SERVER_URL = given;
    return;
  }
  const parent = await mkdtemp(path.join(os.tmpdir(), 'studio-test-pg-'));
  // On a root machine the server runs as the `postgres` OS user, which must reach the folder.
  await chmod(parent, 0o755);
  const dataDir = path.join(parent, 'data');
  const server = await startEmbeddedPostgres({ dataDir, persistent: false, fast: true });
  project.provide('pgServerUrl', server.url);
  project.provide('pgServerKind', 'embedded');
  process.env.STUDIO_PG_SERVER_URL = server.url;
  return async () => {
    await server.stop();
    await rm(parent, { recursive: true, force: true });
  };
}
