/**
 * `pnpm bench` (part 3): what the audit trail costs a write. Prints a table and writes
 * bench/results/audit.json (not committed). Target: audited_write_ratio <= 1.2.
 *
 * It runs the built package (dist/, what the apps import; turbo builds it first), not the
 * sources through tsx: tsx's transform wraps every closure it creates in a `__name` call, which
 * cost `tdb.audited(e)`, a client made per write, some 9 us that the shipped code never pays.
 * The chain is sealed in the background as in an app (`auditSealDelayMs`, default 1 s), so the
 * sealing's work runs alongside the measured writes.
 */
import Table from 'cli-table3';
import { customers } from '@studio/db-schema/schema';
import { seedDemo } from '@studio/db-schema/seed';
import { createDatabase } from '@studio/tenancy';
import { audit } from '@studio/tenancy/audit';
import { benchDatabase, pairedMedianUs, progress, writeResults } from '@studio/db-schema/testing/bench';

const ITERATIONS = Number(process.env.BENCH_AUDIT_ITERATIONS ?? 3000);
const ROUNDS = 3;

const bench = await benchDatabase();
const db = createDatabase({ url: bench.urls.app, ...(process.env.BENCH_SEAL_DELAY ? { auditSealDelayMs: Number(process.env.BENCH_SEAL_DELAY) } : {}) });
try {
  await seedDemo(bench.urls.owner);
  const [acme] = (await db.platform.listTenants()).filter((t) => t.slug === 'acme');
  const tdb = await db.tenant(acme!.id, { actor: { userId: null } });
  let n = 0;
  const insertAlone = () => tdb.insert(customers).values({ name: `plain ${n++}` });
  const insertAudited = () => tdb.audited({ action: 'customer.create', payload: { source: 'bench' } }).insert(customers).values({ name: `audited ${n++}` });
  const insertTx = () =>
    tdb.transaction(async (tx) => {
      await tx.insert(customers).values({ name: `tx ${n++}` });
      await audit(tx, { action: 'customer.create', payload: { source: 'bench' } });
    });

  progress(`audited writes: ${ITERATIONS} of each kind, alternating, ${ROUNDS} rounds`);
  const samples = { alone: [] as number[], audited: [] as number[], tx: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    const medians = await pairedMedianUs({ alone: insertAlone, audited: insertAudited, tx: insertTx }, ITERATIONS);
    samples.alone.push(medians.alone);
    samples.audited.push(medians.audited);
    samples.tx.push(medians.tx);
    progress(`  round ${round + 1}/${ROUNDS}`);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const alone = median(samples.alone);
  const audited = median(samples.audited);
  const tx = median(samples.tx);
  const round = (x: number, d = 1) => Number(x.toFixed(d));
  const results = {
    generated_at: new Date().toISOString(),
    node: process.version,
    postgres: bench.serverVersion,
    server: bench.server,
    insert_us: round(alone),
    audited_insert_us: round(audited),
    audited_write_ratio: round(audited / alone, 2),
    insert_then_audit_in_transaction_us: round(tx),
    insert_then_audit_in_transaction_ratio: round(tx / alone, 2),
    method: `median of ${ROUNDS} round medians; in each round ${ITERATIONS} inserts of each kind, alternating, after warm-up`,
    targets: { audited_write_ratio: audited / alone <= 1.2 },
  };
  const table = new Table({ head: ['figure', 'value', 'target', 'ok'], style: process.stdout.isTTY && !process.env.CI ? {} : { head: [], border: [] } });
  table.push(
    ['insert through the scoped client (us)', results.insert_us, '', ''],
    ['insert + audit row, tdb.audited() (us)', results.audited_insert_us, '', ''],
    ['audited / alone', results.audited_write_ratio, '<= 1.2', results.targets.audited_write_ratio ? 'yes' : 'NO'],
    ['await insert; audit(tx) in transaction() (us)', results.insert_then_audit_in_transaction_us, '', ''],
    ['transaction / alone', results.insert_then_audit_in_transaction_ratio, '(comparison)', ''],
  );
  console.log(table.toString());
  progress(`wrote ${await writeResults('audit.json', results)}`);
} finally {
  await db.close();
  await bench.close();
}
