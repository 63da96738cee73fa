/**
 * Tenant files (exports, PDFs): every object key is `tenants/<tenant id>/<path>`, built here from
 * validated path segments, so a file can only be written or read under its own tenant. A local
 * directory by default (STUDIO_STORAGE_DIR, else .data/storage); any S3-compatible store behind
 * the same interface.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { scopeTenantId, type TenantScope } from './internal/scope';
import { storageDirFromEnv } from './env-schema';
import { TenancyError } from './errors';

export type { TenantScope };

export class StoragePathError extends TenancyError {
  constructor(message: string) {
    super('STORAGE_PATH_INVALID', message);
  }
}

/** Where bytes live. Keys are always built by tenantStorage(). */
export interface FileStore {
  put(key: string, body: Uint8Array, contentType: string): Promise<void>;
  get(key: string): Promise<Uint8Array | null>;
  delete(key: string): Promise<void>;
  /** Keys under `prefix` (which ends with '/'). */
  list(prefix: string): Promise<string[]>;
}

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

function keyFor(tenantId: string, segments: readonly string[], allowEmpty = false): string {
  if (segments.length === 0 && !allowEmpty) throw new StoragePathError('A file path needs at least one segment, e.g. ["exports", "2026-11.zip"].');
  for (const s of segments) {
    if (typeof s !== 'string' || !SEGMENT.test(s) || s.includes('..')) {
      throw new StoragePathError(`Path segment ${JSON.stringify(s)}: letters, digits, '.', '_' and '-', starting with a letter or digit; no '..'.`);
    }
  }
  return ['tenants', tenantId, ...segments].join('/');
}

export interface TenantStorage {
  readonly tenantId: string;
  put(segments: readonly string[], body: Uint8Array | string, options?: { contentType?: string }): Promise<string>;
  get(segments: readonly string[]): Promise<Uint8Array | null>;
  delete(segments: readonly string[]): Promise<void>;
  /** Paths (as segments) under a folder of this tenant. */
  list(folder?: readonly string[]): Promise<string[][]>;
}

export function tenantStorage(scope: TenantScope, store: FileStore = defaultFileStore()): TenantStorage {
  const tenantId = scopeTenantId(scope);
  const root = `tenants/${tenantId}/`;
  return {
    tenantId,
    async put(segments, body, options = {}) {
      const key = keyFor(tenantId, segments);
      await store.put(key, typeof body === 'string' ? new TextEncoder().encode(body) : body, options.contentType ?? 'application/octet-stream');
      return key;
    },
    get: (segments) => store.get(keyFor(tenantId, segments)),
    delete: (segments) => store.delete(keyFor(tenantId, segments)),
    async list(folder = []) {
      const prefix = `${keyFor(tenantId, folder, true)}/`;
      const keys = await store.list(prefix);
      // Defence in depth: a store must never hand back another tenant's key.
      return keys.filter((k) => k.startsWith(root)).map((k) => k.slice(root.length).split('/'));
    },
  };
}

/** Files being written (renamed over their key when complete); never listed. */
const TEMP_PREFIX = '.writing-';

/** Files under a local directory (the default; fine for one server or a shared volume). */
export function localFileStore(rootDir: string): FileStore {
  const root = path.resolve(rootDir);
  const fileOf = (key: string) => {
    const file = path.resolve(root, ...key.split('/'));
    if (!file.startsWith(root + path.sep)) throw new StoragePathError(`Key ${key} leaves the storage root.`);
    return file;
  };
  return {
    async put(key, body) {
      const file = fileOf(key);
      await mkdir(path.dirname(file), { recursive: true });
      // Written aside, then renamed over the key: a reader sees the old file or the new one, never
      // a half-written one (an export's status page read an empty status file mid-write: a 500).
      const aside = path.join(path.dirname(file), `${TEMP_PREFIX}${path.basename(file)}.${randomBytes(6).toString('hex')}`);
      try {
        await writeFile(aside, body);
        await rename(aside, file);
      } catch (error) {
        await rm(aside, { force: true });
        throw error;
      }
    },
    async get(key) {
      try {
        return new Uint8Array(await readFile(fileOf(key)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async delete(key) {
      await rm(fileOf(key), { force: true });
    },
    async list(prefix) {
      const dir = fileOf(prefix.replace(/\/$/, ''));
      const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [];
        throw error;
      });
      return entries
        .filter((e) => e.isFile() && !e.name.startsWith(TEMP_PREFIX))
        .map((e) => {
          // Dirent.parentPath is Node >= 20.12; .path before that.
          const parent = (e as { parentPath?: string; path?: string }).parentPath ?? (e as { path?: string }).path ?? dir;
          return path.relative(root, path.join(parent, e.name)).split(path.sep).join('/');
        })
        .sort();
    },
  };
}

/** Any S3-compatible object store (AWS S3, MinIO, R2...), through the AWS SDK. */
export function s3FileStore(options: { client: S3Client; bucket: string }): FileStore {
  const { client, bucket } = options;
  return {
    async put(key, body, contentType) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
    },
    async get(key) {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
      } catch (error) {
        if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return null;
        throw error;
      }
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
    async list(prefix) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const out = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        for (const o of out.Contents ?? []) if (o.Key) keys.push(o.Key);
        token = out.IsTruncated ? out.NextContinuationToken : undefined;
      } while (token);
      return keys.sort();
    },
  };
}

let configured: FileStore | undefined;

export function setDefaultFileStore(store: FileStore): void {
  configured = store;
}

export function defaultFileStore(): FileStore {
  configured ??= localFileStore(storageDirFromEnv());
  return configured;
}
