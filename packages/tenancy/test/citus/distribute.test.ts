// Issue 21 item 2 on a real coordinator (Citus phase only): db:distribute is safe to re-run, and
// a context key db:migrate adds later reaches the workers' own copy, which the verifier reads
// inside shard queries (a key they lack verifies nothing there: zero rows).
import { rolesFromEnv } from '@studio/db-schema/config';
import { distributeDatabase } from '@studio/db-schema/distribute';
import { migrateDatabase } from '@studio/db-schema/migrate';
import { contextKeyId } from '@studio/db-schema/tenant-context';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const url = inject('studioCitusDatabase');

describe.skipIf(!url)('db:distribute on Citus', () => {
  let su: postgres.Sql;

  beforeAll(() => {
    su = postgres(url, { max: 1, onnotice: () => {} });
  });

  afterAll(async () => {
    await su?.end();
  });

  const workerKids = async (): Promise<string[]> => {
    const rows = await su<{ result: string }[]>`
      select result from run_command_on_workers('select coalesce(string_agg(kid, '','' order by kid), '''') from studio_private.context_keys')`;
    return rows.map((r) => r.result);
  };

  it('converts nothing twice: a re-run reports every table as already done', async () => {
    const lines: string[] = [];
    await distributeDatabase({ url, roles: rolesFromEnv(), log: (line) => lines.push(line) });
    expect(lines.filter((l) => /: (reference table|distributed on tenant_id) \(already\)$/.test(l))).toHaveLength(10);
    expect(lines.some((l) => /policy|foreign key .* added back|NOTIFY/.test(l))).toBe(false);
  });

  it('copies a key that db:migrate adds later to every worker', async () => {
    const key = 'citus-phase-second-key-0123456789abcdef';
    const kid = contextKeyId(key);
    try {
      await migrateDatabase({ url, roles: rolesFromEnv(), contextKey: key });
      for (const kids of await workerKids()) expect(kids.split(',')).toContain(kid);
    } finally {
      await su`delete from studio_private.context_keys where kid = ${kid}`;
      await distributeDatabase({ url, roles: rolesFromEnv(), log: () => {} });
    }
    for (const kids of await workerKids()) expect(kids.split(',')).not.toContain(kid);
  });
});
