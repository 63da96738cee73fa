import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { findWorkspaceRoot } from './workspace-root';

/** What `pnpm dev` records about the dev database it runs, for `db:info` and the db commands. */
export interface DevState {
  /** Superuser URL of the server's `postgres` database. */
  serverUrl: string;
  /** Name of the dev database on that server. */
  database: string;
  port: number;
  /** Process that owns the server; the state is stale once it is gone. */
  pid: number;
  startedAt: string;
}

export function devDataDir(root = findWorkspaceRoot()): string {
  return path.join(root, '.data');
}

function statePath(root?: string): string {
  return path.join(devDataDir(root), 'dev.json');
}

export async function writeDevState(state: DevState, root?: string): Promise<void> {
  await mkdir(devDataDir(root), { recursive: true });
  await writeFile(statePath(root), JSON.stringify(state, null, 2) + '\n');
}

export async function clearDevState(root?: string): Promise<void> {
  await rm(statePath(root), { force: true });
}

/** The state of a dev database that is running now, or undefined. */
export function readDevState(root?: string): DevState | undefined {
  const file = statePath(root);
  if (!existsSync(file)) return undefined;
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as DevState;
    process.kill(state.pid, 0);
    return state;
  } catch {
    return undefined;
  }
}

/** The last port the dev database used, so URLs stay the same between runs. */
export function lastDevPort(root?: string): number | undefined {
  const file = statePath(root);
  if (!existsSync(file)) return undefined;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as DevState).port;
  } catch {
    return undefined;
  }
}
