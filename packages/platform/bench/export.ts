/**
 * `pnpm bench` (part 4): tenant export speed on a tenant of 1,000,000 invoices. Prints a table
 * and writes bench/results/export.json (not committed). Target: export_rows_per_s >= 200,000.
 * Then `move_seconds`: the same tenant moved to a second database (a second embedded server
 * unless DATABASE_URL is set), and how long its writes were refused.
 */
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import Table from 'cli-table3';
import postgres from 'postgres';
import { exportTenant, moveTenant } from '../src/lifecycle/index';
import { benchDatabase, progress, writeResults } from '@studio/db-schema/testing/bench';

const ROWS = Number(process.env.BENCH_EXPORT_ROWS ?? 1_000_000);

const bench = await benchDatabase();
const su = postgres(bench.urls.migrate, { max: 1, onnotice: () => {} });
try {
  await su`insert into plans (id, name, max_members) values ('free', 'Free', 3) on conflict do nothing`;
  const [tenant] = await su<{ id: string }[]>`insert into tenants (slug, name) values ('bigco', 'Big Co') returning id`;
  const id = tenant!.id;
  await su`insert into customers (tenant_id, id, name) values (${id}, ${id}, 'The customer')`;
  progress(`generating ${ROWS.toLocaleString('en')} invoices for one tenant`);
  const t0 = performance.now();
  await su`
    insert into invoices (tenant_id, customer_id, number, amount_cents, notes)
    select ${id}, ${id}, 'INV-' || g, g % 100000, case when g % 10 = 0 then 'a note, with "quotes" and \\backslashes' end
    from generate_series(1, ${ROWS}::int) g`;
  await su`vacuum analyze invoices`;
  progress(`  done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const results: Record<string, { seconds: number; rowsPerS: number; mb: number }> = {};
  for (const format of ['ndjson', 'sql'] as const) {
    let bytes = 0;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        callback();
      },
    });
    progress(`exporting as ${format}`);
    const started = performance.now();
    const manifest = await exportTenant({ urls: { shared: bench.urls.app }, slug: 'bigco', format, out: sink });
    const seconds = (performance.now() - started) / 1000;
    const rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
    results[format] = { seconds: Number(seconds.toFixed(2)), rowsPerS: Math.round(rows / seconds), mb: Number((bytes / 1e6).toFixed(1)) };
  }
  progress('moving the tenant to a second database');
  const second = await benchDatabase();
  let move: { seconds: number; readOnlySeconds: number; rows: number };
  try {
    const started = performance.now();
    const moved = await moveTenant({
      targets: { shared: { app: bench.urls.app, owner: bench.urls.owner }, dedicated: { app: second.urls.app, owner: second.urls.owner } },
      slug: 'bigco',
      to: 'dedicated',
      settleMs: 0, // no other process holds the tenant in its cache here
      onProgress: (m) => progress(`  ${m}`),
    });
    move = { seconds: Number(((performance.now() - started) / 1000).toFixed(2)), readOnlySeconds: Number(moved.readOnlySeconds.toFixed(2)), rows: moved.rows };
  } finally {
    await second.close();
  }
  const output = {
    generated_at: new Date().toISOString(),
    node: process.version,
    postgres: bench.serverVersion,
    server: bench.server,
    rows: ROWS,
    export_rows_per_s: results.ndjson!.rowsPerS,
    export_sql_rows_per_s: results.sql!.rowsPerS,
    move_seconds: move.seconds,
    move_read_only_seconds: move.readOnlySeconds,
    details: results,
    targets: { export_rows_per_s: results.ndjson!.rowsPerS >= 200_000 },
  };
  const table = new Table({ head: ['figure', 'value', 'target', 'ok'], style: process.stdout.isTTY && !process.env.CI ? {} : { head: [], border: [] } });
  table.push(
    ['export rows/s, ndjson (1M-row tenant)', output.export_rows_per_s, '>= 200,000', output.targets.export_rows_per_s ? 'yes' : 'NO'],
    ['export rows/s, sql (COPY script)', output.export_sql_rows_per_s, '', ''],
    ['ndjson: seconds / MB', `${results.ndjson!.seconds} / ${results.ndjson!.mb}`, '', ''],
    ['sql: seconds / MB', `${results.sql!.seconds} / ${results.sql!.mb}`, '', ''],
    [`move_seconds (${move.rows.toLocaleString('en')} rows, to a second database)`, move.seconds, '', ''],
    ['writes refused during the move, s', move.readOnlySeconds, '', ''],
  );
  console.log(table.toString());
  progress(`wrote ${await writeResults('export.json', output)}`);
} finally {
  await su.end({ timeout: 5 });
  await bench.close();
}
