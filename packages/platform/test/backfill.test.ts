import { backfills, type Backfill } from '@studio/db-schema/backfills';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseTargets } from '../src/lifecycle/index';
import { runBackfill, type BackfillProgress } from '../src/lifecycle/index';
import { asTenant, seededDatabase, type SeededDatabase } from './helpers';

let seeded: SeededDatabase;
let targets: DatabaseTargets;
const real = backfills['customer-emails-normalized']!;

beforeAll(async () => {
  seeded = await seededDatabase();
  targets = { shared: { app: seeded.testDb.urls.app, owner: seeded.testDb.urls.owner } };
  const messy = (id: string, emails: string[]) =>
    asTenant(seeded.owner, id, async (tx) => {
      for (const email of emails) await tx`insert into customers (tenant_id, name, email) values (${id}, ${email}, ${email})`;
    });
  await messy(seeded.ids.acme, [' Ann@Example.test', 'BEN@example.test', 'Cy@Example.TEST ']);
  // globex: "dup@example.test" exists, so " Dup@example.test" cannot take it and stays.
  await messy(seeded.ids.globex, ['dup@example.test', ' Dup@example.test', 'Eve@Example.test']);
}, 60_000);
afterAll(async () => {
  await seeded?.close();
});

const emails = (id: string) =>
  asTenant(seeded.owner, id, async (tx) =>
    (await tx<{ email: string }[]>`select email from customers where tenant_id = ${id} and name like '%@%' order by email`).map((r) => r.email),
  );

describe('db backfill', () => {
  it('runs tenant by tenant in batches, survives a crash, and skips finished tenants when run again', async () => {
    let batches = 0;
    const crashing: Record<string, Backfill> = {
      'customer-emails-normalized': {
        ...real,
        batchSize: 1,
        async batch(tx, job) {
          if (++batches === 5) throw new Error('worker killed'); // acme took 4 (3 rows, then 0): globex's first
          return real.batch(tx, job);
        },
      },
    };
    await expect(runBackfill({ targets, name: 'customer-emails-normalized', registry: crashing })).rejects.toThrow('worker killed');
    const progress: BackfillProgress[] = [];
    const result = await runBackfill({ targets, name: 'customer-emails-normalized', registry: crashing, onProgress: (p) => progress.push(p) });
    expect(result.skipped).toBe(1); // acme finished before the crash (slugs in order: acme, globex, initech)
    expect(result.tenants).toBe(3);
    expect(await emails(seeded.ids.acme)).toEqual(['ann@example.test', 'ben@example.test', 'cy@example.test']);
    expect(await emails(seeded.ids.globex)).toEqual([' Dup@example.test', 'dup@example.test', 'eve@example.test']);
    expect(progress.at(-1)).toMatchObject({ done: 3, total: 3 });
    const runs = await seeded.owner<{ n: number }[]>`select count(*)::int as n from backfill_runs where name = 'customer-emails-normalized'`;
    expect(runs[0]!.n).toBe(3);
    // Done everywhere: a third run changes nothing.
    expect(await runBackfill({ targets, name: 'customer-emails-normalized' })).toMatchObject({ skipped: 3, rows: 0 });
  });

  it('names the backfills it knows when given an unknown one', async () => {
    await expect(runBackfill({ targets, name: 'nope' })).rejects.toMatchObject({ code: 'BACKFILL_UNKNOWN', message: expect.stringContaining('customer-emails-normalized') });
  });
});
