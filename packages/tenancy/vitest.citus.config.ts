import { createVitestConfig } from '@studio/vitest-config/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// The Citus phase (issue 21, docs/scaling.md): these suites against one distributed database per
// run on the coordinator CITUS_URL names (@studio/db-schema/testing/citus-setup). Without
// CITUS_URL no file runs and the reason is printed; CI does not set it. The leak kit runs on every
// tenant table there (test/citus/isolation-kit.test.ts): on Citus it sets the tenant with SET LOCAL.
const suites = ['test/scoped-client.test.ts', 'test/audit.test.ts', 'test/citus/**/*.test.ts'];
if (!process.env.CITUS_URL) {
  console.log('Citus phase skipped: CITUS_URL is not set (a superuser URL of a Citus coordinator database with its workers registered).');
}

const config = createVitestConfig({ include: process.env.CITUS_URL ? suites : [], globalSetup: ['@studio/db-schema/testing/citus-setup'] });
/**
 * One database for the whole run: the files take turns, in the order above, because a suite that
 * counts a tenant's rows must run before the ones that add rows to the same demo tenants.
 */
class InOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const index = suites.findIndex((pattern) => file.moduleId.includes(pattern.replace('**/*.test.ts', '')));
      return index < 0 ? suites.length : index;
    };
    return [...files].sort((a, b) => rank(a) - rank(b));
  }
}
config.test = { ...config.test, fileParallelism: false, passWithNoTests: true, sequence: { sequencer: InOrder } };
export default config;
