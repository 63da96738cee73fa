/**
 * The audit-row race of the old driver patch (issue 22): the audit insert sent after a statement
 * was recorded as prepared when it was written, not when Postgres parsed it. When the statement
 * before it failed (a unique violation), Postgres skipped that Parse, and the next audited write
 * already written behind it on the same connection bound a statement that did not exist: 26000.
 *
 * Here every audited write shares one connection, the first of each pair fails on the customers'
 * unique key, and the second must still commit with its audit row, on a fresh connection (nothing
 * prepared yet) and again on a warm one.
 */
import { auditEvents, customers } from '@studio/db-schema/schema';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../src/index';
import { seededDatabase, type SeededDatabase } from '../helpers';

let seeded: SeededDatabase;
let db: Database;
beforeAll(async () => {
  seeded = await seededDatabase();
});
afterAll(async () => {
  await db?.close();
  await seeded?.close();
});

describe('an audited write behind a failed one on the same connection', () => {
  it('commits with its audit row, cold and warm', async () => {
    db = createDatabase({ url: seeded.testDb.urls.app, poolSize: 1, tenantCache: { listen: false } });
    const acme = await db.tenant(seeded.ids.acme);
    await acme.insert(customers).values({ name: 'Taken', email: 'taken@race.test' });
    for (const round of ['cold', 'warm-1', 'warm-2']) {
      // Written in one tick, so both go out before the first one's error comes back.
      const [failed, committed] = await Promise.allSettled([
        acme.audited({ action: 'race.fails', target: round }).insert(customers).values({ name: `Dup ${round}`, email: 'taken@race.test' }),
        acme.audited({ action: 'race.commits', target: round }).insert(customers).values({ name: `New ${round}`, email: `${round}@race.test` }),
      ]);
      expect(failed.status).toBe('rejected');
      expect((failed as PromiseRejectedResult).reason).toMatchObject({ code: '23505' });
      expect(committed).toMatchObject({ status: 'fulfilled' });
      const events = await acme.select({ target: auditEvents.target }).from(auditEvents).where(and(eq(auditEvents.action, 'race.commits'), eq(auditEvents.target, round)));
      expect(events).toHaveLength(1);
      expect(await acme.select({ target: auditEvents.target }).from(auditEvents).where(eq(auditEvents.action, 'race.fails'))).toEqual([]);
    }
  });
});
