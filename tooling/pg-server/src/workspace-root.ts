import { existsSync } from 'node:fs';
import path from 'node:path';

/** The monorepo root: the nearest folder upwards that holds pnpm-workspace.yaml. */
export function findWorkspaceRoot(from: string = process.cwd()): string {
  let dir = path.resolve(from);
  for (;;) {
    if (existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`Could not find the workspace root (pnpm-workspace.yaml) above ${from}.`);
    }
    dir = parent;
  }
}
