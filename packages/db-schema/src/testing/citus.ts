/**
 * The Citus test phase (issue 21): one distributed database per run on the coordinator that
 * CITUS_URL names. A template clone cannot be used there (CREATE DATABASE ... TEMPLATE of a
 * database that has the extension fails), so the database is made the way an operator would:
 * created on the coordinator and, through run_command_on_workers, on every worker; the citus
 * extension created in it on every node (the workers are reached at the address the coordinator
 * knows them by, with CITUS_URL's credentials); the nodes registered; then db:migrate and
 * db:distribute. CITUS_URL: a superuser on a database of the coordinator that has the citus
 * extension and its workers registered (e.g. the `citus` database of /work/citus/README.txt).
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { rolesFromEnv, urlForDatabase } from '../config';
import { distributeDatabase } from '../distribute';
import { migrateDatabase } from '../migrate';

export interface CitusTestDatabase {
  /** Superuser URL of the distributed database, on the coordinator. */
  url: string;
  drop(): Promise<void>;
}

function nodeUrl(base: string, host: string, port: number, database: string): string {
  const url = new URL(base);
  url.hostname = host;
  url.port = String(port);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function prepareCitusDatabase(citusUrl: string, log: (line: string) => void = () => {}): Promise<CitusTestDatabase> {
  const name = `studio_citus_${randomBytes(5).toString('hex')}`;
  const admin = postgres(citusUrl, { max: 1, onnotice: () => {} });
  const ident = `"${name}"`;
  const drop = async () => {
    await admin.unsafe(`drop database if exists ${ident} with (force)`);
    await admin`select run_command_on_workers(${`drop database if exists ${ident} with (force)`})`;
  };
  try {
    const [ext] = await admin<{ n: number }[]>`select count(*)::int as n from pg_extension where extname = 'citus'`;
    if (!ext?.n) throw new Error(`CITUS_URL (${new URL(citusUrl).pathname.slice(1)}) has no citus extension: it must name a database of a Citus coordinator.`);
    const nodes = await admin<{ host: string; port: number; group: number }[]>`
      select nodename as host, nodeport as port, groupid as "group" from pg_dist_node where noderole = 'primary' order by groupid`;
    const workers = nodes.filter((n) => n.group !== 0);
    if (workers.length === 0) throw new Error('CITUS_URL: the coordinator has no workers registered.');
    const coordinator = nodes.find((n) => n.group === 0) ?? { host: new URL(citusUrl).hostname, port: Number(new URL(citusUrl).port || 5432) };
    await admin.unsafe(`create database ${ident}`);
    const created = await admin<{ success: boolean; result: string }[]>`select * from run_command_on_workers(${`create database ${ident}`})`;
    if (created.some((r) => !r.success)) throw new Error(`creating ${name} on the workers: ${created.map((r) => r.result).join('; ')}`);
    for (const w of workers) {
      const sql = postgres(nodeUrl(citusUrl, w.host, w.port, name), { max: 1, onnotice: () => {} });
      try {
        await sql`create extension if not exists citus`;
      } finally {
        await sql.end();
      }
    }
    const url = urlForDatabase(citusUrl, name);
    const db = postgres(url, { max: 1, onnotice: () => {} });
    try {
      await db`create extension if not exists citus`;
      await db`select citus_set_coordinator_host(${coordinator.host}, ${coordinator.port})`;
      for (const w of workers) await db`select citus_add_node(${w.host}, ${w.port})`;
    } finally {
      await db.end();
    }
    await migrateDatabase({ url, roles: rolesFromEnv() });
    await distributeDatabase({ url, roles: rolesFromEnv(), log });
    return {
      url,
      async drop() {
        try {
          await drop();
        } finally {
          await admin.end();
        }
      },
    };
  } catch (error) {
    await drop().catch(() => {});
    await admin.end();
    throw error;
  }
}

/** How Citus would run one statement: its tasks (1: a router plan, on one shard) and the tables they touch. */
export interface Routing {
  /** Largest task count of the plan's Citus scans; null when no Citus scan (only local or reference work on the coordinator). */
  tasks: number | null;
  /** Logical tables the tasks touch (shard suffixes removed). */
  tables: string[];
  /** Set when the statement would fan out: names the tables and how many shards. */
  fanOut: string | null;
}

interface PlanNode {
  'Custom Plan Provider'?: string;
  'Relation Name'?: string;
  'Distributed Query'?: { Job?: { 'Task Count'?: number; Tasks?: { 'Remote Plan'?: { Plan: PlanNode }[][] }[] } };
  Plans?: PlanNode[];
  [key: string]: unknown;
}

/**
 * EXPLAINs `statement` (not run) as the connection's role, in a transaction with `setTenant` (the
 * scoped client's SET LOCAL of the tenant context), and says whether Citus routes it to one shard.
 * A statement that fans out is reported with the tables it touches.
 */
export async function explainRouting(sql: postgres.Sql, setTenant: string, statement: string, params: readonly unknown[] = []): Promise<Routing> {
  const plan = (await sql.begin(async (tx) => {
    await tx.unsafe(setTenant);
    const rows = await tx.unsafe(`explain (format json, costs off) ${statement}`, params as postgres.ParameterOrJSON<never>[]);
    return (rows[0] as unknown as { 'QUERY PLAN': { Plan: PlanNode }[] })['QUERY PLAN'];
  })) as { Plan: PlanNode }[];
  let tasks: number | null = null;
  const tables = new Set<string>();
  const walk = (node: PlanNode | undefined) => {
    if (!node) return;
    if (node['Relation Name']) tables.add(node['Relation Name'].replace(/_[0-9]+$/, ''));
    const job = node['Distributed Query']?.Job;
    if (job) {
      tasks = Math.max(tasks ?? 0, job['Task Count'] ?? 0);
      for (const task of job.Tasks ?? []) for (const remote of task['Remote Plan'] ?? []) for (const p of remote) walk(p.Plan);
    }
    for (const child of node.Plans ?? []) walk(child);
    for (const value of Object.values(node)) {
      // Sub-plans Citus plans separately (CTEs, subqueries) nest under other keys.
      if (value && typeof value === 'object' && !Array.isArray(value) && 'Plan' in (value as object)) walk((value as { Plan: PlanNode }).Plan);
    }
  };
  for (const p of plan) walk(p.Plan);
  const list = [...tables].sort();
  const count = tasks as number | null;
  return {
    tasks: count,
    tables: list,
    fanOut: count !== null && count > 1 ? `${list.join(', ') || 'a distributed table'}: ${count} tasks, one per shard (no tenant_id = <value> Citus can prune on)` : null,
  };
}
