import { customers } from '@studio/db-schema/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type TenantDb } from '../src/index';
import { meter, MeterError, usageOf } from '../src/metering';
import { seededDatabase, type SeededDatabase } from './helpers';

let seeded: SeededDatabase;
let db: ReturnType<typeof createDatabase>;
let acme: TenantDb;
let globex: TenantDb;

beforeAll(async () => {
  seeded = await seededDatabase();
  db = createDatabase({ url: seeded.testDb.urls.app });
  acme = await db.tenant(seeded.ids.acme);
  globex = await db.tenant(seeded.ids.globex);
}, 60_000);

afterAll(async () => {
  await db?.close();
  await seeded?.close();
});

const month = () => new Date().toISOString().slice(0, 8) + '01';

describe('usage metering', () => {
  it('counts units in the action’s transaction, per tenant and month', async () => {
    for (let i = 0; i < 3; i++) {
      await acme.transaction(async (tx) => {
        await tx.insert(customers).values({ name: `Metered ${i}` });
        await meter(tx, 'customer.create');
      });
    }
    await meter(acme, 'pdf.render', 5);
    await meter(globex, 'pdf.render', 2);
    expect(await usageOf(acme, { period: month() })).toEqual([
      { metric: 'customer.create', period: month(), quantity: 3 },
      { metric: 'pdf.render', period: month(), quantity: 5 },
    ]);
    expect(await usageOf(globex)).toEqual([{ metric: 'pdf.render', period: month(), quantity: 2 }]);
  });

  it('counts nothing for an action that rolled back', async () => {
    await expect(
      globex.transaction(async (tx) => {
        await meter(tx, 'export.rows', 1000);
        throw new Error('export failed');
      }),
    ).rejects.toThrow('export failed');
    expect((await usageOf(globex)).find((l) => l.metric === 'export.rows')).toBeUndefined();
  });

  it('counts concurrent actions exactly', async () => {
    await Promise.all(Array.from({ length: 25 }, () => globex.transaction(async (tx) => meter(tx, 'api.call'))));
    expect((await usageOf(globex)).find((l) => l.metric === 'api.call')?.quantity).toBe(25);
  });

  it('refuses malformed metrics and quantities', async () => {
    await expect(meter(acme, 'PDF Render')).rejects.toBeInstanceOf(MeterError);
    await expect(meter(acme, 'pdf.render', 0)).rejects.toBeInstanceOf(MeterError);
    await expect(meter(acme, 'pdf.render', 1.5)).rejects.toBeInstanceOf(MeterError);
  });
});
