import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
// @ts-expect-error s3rver ships no types
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localFileStore, s3FileStore, StoragePathError, tenantStorage, type FileStore } from '../src/storage';

const ACME = { tenantId: '0b6c6f8e-1b7a-4c2e-9d55-7c8f9e0a1b2c' };
const GLOBEX = { tenant: { id: '5d2f1c3b-8e9a-4b7c-a6d5-e4f3a2b1c0d9' } };

let dir: string;
let s3server: { close(): Promise<void> };
let s3: S3Client;
let s3Port = 0;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'studio-storage-'));
  // An S3-compatible server in process (s3rver): the real S3 protocol through the AWS SDK.
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: path.join(dir, 's3'), configureBuckets: [{ name: 'studio-test' }] });
  const address = (await server.run()) as { port: number };
  s3Port = address.port;
  s3server = server;
  s3 = new S3Client({
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${s3Port}`,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
});

afterAll(async () => {
  s3?.destroy();
  await s3server?.close();
  await rm(dir, { recursive: true, force: true });
});

const stores: [string, () => FileStore][] = [
  ['a local directory', () => localFileStore(path.join(dir, 'local'))],
  ['an S3-compatible store', () => s3FileStore({ client: s3, bucket: 'studio-test' })],
];

describe.each(stores)('tenant storage in %s', (_name, makeStore) => {
  it('puts every file under its tenant, and reads back only its own', async () => {
    const store = makeStore();
    const acme = tenantStorage(ACME, store);
    const globex = tenantStorage(GLOBEX, store);
    const key = await acme.put(['exports', 'nov.csv'], 'acme data', { contentType: 'text/csv' });
    expect(key).toBe(`tenants/${ACME.tenantId}/exports/nov.csv`);
    await globex.put(['exports', 'nov.csv'], 'globex data');
    expect(new TextDecoder().decode((await acme.get(['exports', 'nov.csv']))!)).toBe('acme data');
    expect(new TextDecoder().decode((await globex.get(['exports', 'nov.csv']))!)).toBe('globex data');
    expect(await acme.list(['exports'])).toEqual([['exports', 'nov.csv']]);
    expect(await acme.list()).toEqual([['exports', 'nov.csv']]);
    await acme.delete(['exports', 'nov.csv']);
    expect(await acme.get(['exports', 'nov.csv'])).toBeNull();
    expect(await globex.get(['exports', 'nov.csv'])).not.toBeNull();
  });

  it('refuses paths that could leave the tenant', async () => {
    const acme = tenantStorage(ACME, makeStore());
    for (const bad of [['..', 'x'], ['a/b'], ['..%2f'], [''], ['.hidden'], ['a\\b'], [`../${GLOBEX.tenant.id}`], []]) {
      await expect(acme.put(bad, 'x'), JSON.stringify(bad)).rejects.toBeInstanceOf(StoragePathError);
    }
    expect(() => tenantStorage({ tenantId: '../etc' }, makeStore())).toThrow(/tenant id/i);
  });
});
