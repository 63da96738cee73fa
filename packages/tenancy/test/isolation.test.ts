import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '@studio/db-schema/testing';
import { afterAll } from 'vitest';
import { describeTenantIsolation } from '../src/testing/index';

let testDb: TestDatabase | undefined;
afterAll(async () => {
  await testDb?.drop();
});

describeTenantIsolation(
  async () => {
    testDb = await createTestDatabase();
    return { ownerUrl: testDb.urls.owner, appUrl: testDb.urls.app };
  },
  {
    // The raw matrix, for the isolation report.
    async onResults(results) {
      const dir = path.join(import.meta.dirname, '..', 'test-results');
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, 'isolation-matrix.json'), JSON.stringify(results, null, 2));
    },
  },
);
