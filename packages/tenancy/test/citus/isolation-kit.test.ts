// Issue 21: the leak kit (src/testing/matrix.ts) on a distributed database, every tenant table and
// the platform attacks. On Citus the kit sets the tenant context with SET LOCAL, as the executor
// does (set_config never reaches the workers), so its seeding works and every attack runs against
// the shards' policies. Runs in the Citus phase only (vitest.citus.config.ts with CITUS_URL).
import { createTestDatabase } from '@studio/db-schema/testing';
import { describe, inject, it } from 'vitest';
import { describeTenantIsolation } from '../../src/testing/index';

if (inject('studioCitusDatabase')) {
  // The phase's one database: createTestDatabase hands it over, and its drop is the global setup's.
  describeTenantIsolation(async () => {
    const testDb = await createTestDatabase();
    return { ownerUrl: testDb.urls.owner, appUrl: testDb.urls.app };
  });
} else {
  describe.skip('the leak kit on Citus (CITUS_URL not set)', () => {
    it('runs in the Citus phase only', () => {});
  });
}
