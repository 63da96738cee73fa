/**
 * `tenants move <slug> --to <host:port>` on Citus (issue 21): isolate_tenant_to_new_shard gives
 * the tenant shards of its own, citus_move_shard_placement moves that shard group to the target
 * worker, both in block_writes mode (writes wait, reads go on). Runs as a coordinator superuser:
 * FORCE RLS would let the owner copy nothing. docs/scaling.md#3-past-one-machine-citus
 */
import { findTenant, operator, tenantTables, TenantLifecycleError } from '@studio/tenancy/lifecycle';
import postgres from 'postgres';

export interface CitusMoveOptions {
  /** A superuser URL of the Citus coordinator database. */
  url: string;
  slug: string;
  /** The target worker, `host:port` as pg_dist_node names it. */
  to: string;
  schema?: Record<string, unknown>;
  onProgress?: (message: string) => void;
}

export interface CitusMoveResult {
  tenant: { id: string; slug: string };
  from: string;
  to: string;
  /** The tenant's shard of the anchor table after the move (its co-located shards moved with it). */
  shardId: string;
  /** Whether this move split the tenant off its shard (false: it had a shard of its own already). */
  isolated: boolean;
  /** The tenant's rows in the shard group. */
  rows: number;
  isolateSeconds: number;
  moveSeconds: number;
}

interface Node {
  name: string;
  port: number;
}

const nodeLabel = (n: Node) => `${n.name}:${n.port}`;

/** Whether `to` names a node (`host:port`) rather than a placement key: what selects the Citus move. */
export function isNodeAddress(to: string): boolean {
  return /^[A-Za-z0-9.-]+:\d{1,5}$/.test(to) || /^\[[0-9A-Fa-f:]+\]:\d{1,5}$/.test(to);
}

function parseNode(to: string): Node {
  if (!isNodeAddress(to)) throw new TenantLifecycleError('CITUS_NODE_INVALID', `"${to}" is not a node: give a worker as host:port (SELECT nodename, nodeport FROM pg_dist_node).`);
  const at = to.lastIndexOf(':');
  return { name: to.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(to.slice(at + 1)) };
}

export async function moveTenantOnCitus(options: CitusMoveOptions): Promise<CitusMoveResult> {
  const say = options.onProgress ?? (() => {});
  const target = parseNode(options.to);
  const sql = postgres(options.url, { max: 1, onnotice: () => {}, connection: { application_name: 'studio:lifecycle' } });
  try {
    try {
      await sql`select 1`;
    } catch (error) {
      throw new TenantLifecycleError('DATABASE_UNREACHABLE', `Cannot reach the coordinator: ${(error as Error).message}. Nothing was changed.`);
    }
    const [citus] = await sql<{ version: string | null; db: string }[]>`
      select (select extversion from pg_extension where extname = 'citus') as version, current_database() as db`;
    if (!citus?.version) {
      throw new TenantLifecycleError(
        'NOT_CITUS',
        `${citus?.db ?? 'The database'} is not a Citus database (no citus extension): a tenant moves to a node only on Citus. On plain Postgres, move it to a placement (--to <key of DATABASE_PLACEMENTS>).`,
      );
    }
    const [me] = await sql<{ su: boolean; coordinator: boolean }[]>`
      select (select rolsuper from pg_roles where rolname = current_user) as su, citus_is_coordinator() as coordinator`;
    if (!me?.coordinator) throw new TenantLifecycleError('CITUS_NOT_COORDINATOR', `${citus.db}: this node is not the Citus coordinator; point DATABASE_URL at the coordinator.`);
    if (!me.su) throw new TenantLifecycleError('CITUS_NOT_SUPERUSER', 'Moving a tenant between Citus nodes needs a superuser (DATABASE_URL, as for db:distribute): Citus copies the rows as the session role.');

    const tenant = await findTenant(sql, options.slug);
    const workers = await sql<Node[]>`
      select nodename as name, nodeport as port from pg_dist_node where noderole = 'primary' and isactive and shouldhaveshards and groupid <> 0 order by nodename, nodeport`;
    if (!workers.some((w) => w.name === target.name && w.port === target.port)) {
      throw new TenantLifecycleError('CITUS_NODE_UNKNOWN', `No active worker ${nodeLabel(target)} in pg_dist_node. Workers: ${workers.map(nodeLabel).join(', ') || 'none'}.`);
    }

    // The anchor: the first tenant table (parents first) that is distributed; the others are co-located with it.
    const names = tenantTables(options.schema).map((t) => t.name);
    const distributed = await sql<{ name: string }[]>`
      select logicalrelid::regclass::text as name from pg_dist_partition where partmethod = 'h' and logicalrelid::regclass::text in ${sql(names)}`;
    const anchor = names.find((n) => distributed.some((d) => d.name === n));
    if (!anchor) throw new TenantLifecycleError('CITUS_NOT_DISTRIBUTED', `${citus.db} has no distributed tenant table: run pnpm db:distribute first.`);

    const shardOf = async () => {
      const [row] = await sql<{ shardId: string; name: string; port: number; min: string; max: string }[]>`
        select s.shardid::text as "shardId", p.nodename as name, p.nodeport as port, s.shardminvalue as min, s.shardmaxvalue as max
        from pg_dist_shard s join pg_dist_shard_placement p using (shardid)
        where s.shardid = get_shard_id_for_distribution_column(${anchor}, ${tenant.id}::text)`;
      if (!row) throw new TenantLifecycleError('CITUS_SHARD_MISSING', `No placement of ${tenant.slug}'s shard of ${anchor}: check pg_dist_placement.`);
      return row;
    };
    let shard = await shardOf();
    const source: Node = { name: shard.name, port: shard.port };
    if (source.name === target.name && source.port === target.port) {
      throw new TenantLifecycleError('TENANT_ALREADY_THERE', `${tenant.slug} already lives on ${nodeLabel(target)} (shard ${shard.shardId} of ${anchor}): nothing to move.`);
    }
    const [counted] = await sql.unsafe<{ n: number }[]>(
      `select (${names.filter((n) => distributed.some((d) => d.name === n)).map((n) => `(select count(*) from "${n}" where tenant_id = $1)`).join(' + ')})::int as n`,
      [tenant.id],
    );
    const rows = counted?.n ?? 0;
    say(`${tenant.slug}: ${rows.toLocaleString('en')} rows on ${nodeLabel(source)} (shard ${shard.shardId} of ${anchor} and its co-located shards)`);

    // Progress while a Citus call runs: the elapsed time, every few seconds.
    const ticking = async <T>(what: string, call: () => Promise<T>): Promise<{ value: T; seconds: number }> => {
      const started = Date.now();
      const timer = setInterval(() => say(`  ${what}: ${((Date.now() - started) / 1000).toFixed(0)} s`), 2_000);
      try {
        const value = await call();
        return { value, seconds: (Date.now() - started) / 1000 };
      } finally {
        clearInterval(timer);
      }
    };

    let isolateSeconds = 0;
    const isolated = shard.min !== shard.max;
    if (isolated) {
      say(`isolating ${tenant.slug} to shards of its own (writes to shard ${shard.shardId}'s tenants wait meanwhile)`);
      const split = await ticking('isolating', () =>
        sql`select isolate_tenant_to_new_shard(${anchor}, ${tenant.id}::text, 'CASCADE', shard_transfer_mode => 'block_writes')::text as id`,
      );
      isolateSeconds = split.seconds;
      shard = await shardOf();
      say(`isolated in ${isolateSeconds.toFixed(1)} s: shard ${shard.shardId} of ${anchor} holds ${tenant.slug} only`);
    } else {
      say(`shard ${shard.shardId} already holds ${tenant.slug} only`);
    }

    say(`moving shard ${shard.shardId} and its co-located shards from ${nodeLabel(source)} to ${nodeLabel(target)} (writes to ${tenant.slug} wait meanwhile)`);
    const moved = await ticking('moving', () =>
      sql`select citus_move_shard_placement(${shard.shardId}::bigint, ${source.name}, ${source.port}, ${target.name}, ${target.port}, shard_transfer_mode => 'block_writes')`,
    );
    const after = await shardOf();
    if (after.name !== target.name || after.port !== target.port) {
      throw new TenantLifecycleError('CITUS_MOVE_UNVERIFIED', `Shard ${shard.shardId} is on ${nodeLabel(after)} after the move, not ${nodeLabel(target)}: check pg_dist_placement.`);
    }
    say(`moved in ${moved.seconds.toFixed(1)} s`);
    await sql`insert into platform_events (action, tenant_id, tenant_slug, payload)
      values ('tenant.moved', ${tenant.id}, ${tenant.slug},
              ${sql.json({ operator: operator(), citus: true, from: nodeLabel(source), to: nodeLabel(target), shardId: shard.shardId, isolated, rows, isolateSeconds, moveSeconds: moved.seconds })})`;
    return { tenant: { id: tenant.id, slug: tenant.slug }, from: nodeLabel(source), to: nodeLabel(target), shardId: shard.shardId, isolated, rows, isolateSeconds, moveSeconds: moved.seconds };
  } finally {
    await sql.end({ timeout: 5 });
  }
}
