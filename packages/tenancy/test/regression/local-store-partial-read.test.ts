/**
 * Under load, the invoices export page answered a 500 ("Unexpected end of JSON input"): it read
 * the export's status file while the job was rewriting it, and the local store wrote in place
 * (truncate, then write), so a reader could see an empty or half-written file. The store now
 * writes aside and renames over the key: a reader sees the old content or the new, whole.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localFileStore } from '../../src/storage';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('local file store: no partial reads', () => {
  it('a reader racing a writer always parses a whole value, and the listing shows no temporary file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'studio-store-'));
    dirs.push(dir);
    const store = localFileStore(dir);
    const key = 'tenants/t1/exports/x.status.json';
    const value = (i: number) => new TextEncoder().encode(JSON.stringify({ i, pad: 'x'.repeat(512 * 1024) }));
    await store.put(key, value(0), 'application/json');
    let writing = true;
    const writer = (async () => {
      for (let i = 1; i <= 60; i++) await store.put(key, value(i), 'application/json');
      writing = false;
    })();
    let reads = 0;
    const failures: string[] = [];
    while (writing) {
      const bytes = await store.get(key);
      reads++;
      try {
        JSON.parse(new TextDecoder().decode(bytes!));
      } catch (error) {
        failures.push(`${String(error)} (${bytes?.length ?? 0} bytes)`);
      }
      expect((await store.list('tenants/t1/exports')).every((k) => k.endsWith('.status.json'))).toBe(true);
    }
    await writer;
    expect(reads).toBeGreaterThan(5);
    expect(failures).toEqual([]);
  });
});
