/**
 * The schema of the tenant job queue (C9): pg-boss's tables in `studio_jobs`, installed and
 * upgraded by `db:migrate` as the owner role, like every other table. The jobs role only uses
 * them: DML on the tables, and the two functions that add or drop a queue's partition run as
 * their owner (SECURITY DEFINER, fixed search_path), so it never needs CREATE anywhere.
 * Job rows name their tenant in their data; the job API checks it (packages/tenancy/src/jobs.ts).
 */
import PgBoss from 'pg-boss';
import type { Sql } from 'postgres';
import type { Roles } from './config';

export const JOBS_SCHEMA = 'studio_jobs';

/** Runs pg-boss's own install or upgrade through `sql` (a connection acting as the owner role). */
export async function installJobsSchema(sql: Sql, roles: Roles): Promise<void> {
  const boss = new PgBoss({
    schema: JOBS_SCHEMA,
    migrate: true,
    supervise: false,
    schedule: false,
    db: {
      async executeSql(text: string, values: unknown[] = []) {
        const query = sql.unsafe(text, values as never[]);
        return { rows: await (values.length === 0 ? query.simple() : query) };
      },
    },
  });
  boss.on('error', () => {});
  await boss.start();
  await boss.stop({ graceful: false, wait: true, close: false });

  const jobs = roles.jobs.name;
  const app = roles.app.name;
  const admin = roles.admin.name;
  // C15: the queue is the jobs role's alone. Products enqueue through @studio/tenancy's job API,
  // which connects as the jobs role; the product role cannot read payloads, insert a job for
  // another tenant or drop a queue. REVOKEs take back what earlier versions granted the app role.
  await sql.unsafe(`
    ALTER FUNCTION ${JOBS_SCHEMA}.create_queue(text, json) SECURITY DEFINER SET search_path = ${JOBS_SCHEMA}, pg_temp;
    ALTER FUNCTION ${JOBS_SCHEMA}.delete_queue(text) SECURITY DEFINER SET search_path = ${JOBS_SCHEMA}, pg_temp;
    REVOKE ALL ON ALL FUNCTIONS IN SCHEMA ${JOBS_SCHEMA} FROM PUBLIC, "${app}";
    REVOKE ALL ON ALL TABLES IN SCHEMA ${JOBS_SCHEMA} FROM "${app}";
    REVOKE ALL ON SCHEMA ${JOBS_SCHEMA} FROM PUBLIC, "${app}";
    ALTER DEFAULT PRIVILEGES IN SCHEMA ${JOBS_SCHEMA} REVOKE ALL ON TABLES FROM "${app}";
    ALTER DEFAULT PRIVILEGES IN SCHEMA ${JOBS_SCHEMA} REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
    GRANT EXECUTE ON FUNCTION ${JOBS_SCHEMA}.create_queue(text, json), ${JOBS_SCHEMA}.delete_queue(text) TO "${jobs}";
    GRANT USAGE ON SCHEMA ${JOBS_SCHEMA} TO "${jobs}", "${admin}";
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${JOBS_SCHEMA} TO "${jobs}";
    GRANT SELECT ON ALL TABLES IN SCHEMA ${JOBS_SCHEMA} TO "${admin}";
    ALTER DEFAULT PRIVILEGES IN SCHEMA ${JOBS_SCHEMA} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "${jobs}";
    ALTER DEFAULT PRIVILEGES IN SCHEMA ${JOBS_SCHEMA} GRANT SELECT ON TABLES TO "${admin}";
  `).simple();
}
