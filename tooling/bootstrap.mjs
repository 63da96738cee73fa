#!/usr/bin/env node
// `npm run dev` / `npm test` on a machine with only Node and npm, and `pnpm dev` / `pnpm test`
// everywhere else: makes sure of pnpm at the version package.json pins, of the locked
// dependencies, then runs the task (`pnpm run <task>:run`, never this script again).
//
//   node tooling/bootstrap.mjs <task> [args for the task...]
//
// pnpm: used when `pnpm --version` is the pinned one; otherwise `npm install -g pnpm@<pinned>`,
// and where that is not permitted (or its bin folder is not on PATH), an install into
// .data/pnpm-<version>/ put first on PATH for everything the task starts.
// Dependencies: `pnpm install --frozen-lockfile` when node_modules is missing or was installed
// from another pnpm-lock.yaml. No dependency of its own: it runs before any is installed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const WINDOWS = process.platform === 'win32';

function say(message) {
  console.error(`[bootstrap] ${message}`);
}

function fail(message) {
  say(message);
  process.exit(1);
}

/** Runs a command to its end, output shown; true when it succeeded. */
function run(command, args, env = process.env) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env, shell: WINDOWS });
  return result.status === 0;
}

/** The version `pnpm --version` prints with this environment, or null when there is no pnpm. */
function pnpmVersion(env = process.env) {
  const result = spawnSync('pnpm', ['--version'], { cwd: ROOT, encoding: 'utf8', env, shell: WINDOWS });
  return result.status === 0 ? result.stdout.trim() : null;
}

function pinnedPnpm() {
  const manager = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).packageManager ?? '';
  const match = /^pnpm@(\d+\.\d+\.\d+)/.exec(manager);
  if (!match) fail(`package.json's packageManager (${JSON.stringify(manager)}) does not pin a pnpm version.`);
  return match[1];
}

/** An environment in which `pnpm` is the pinned version: as it is, after a global install, or with a local one first on PATH. */
function ensurePnpm(version) {
  const found = pnpmVersion();
  if (found === version) return process.env;
  // One installed here by an earlier run.
  const prefix = path.join(ROOT, '.data', `pnpm-${version}`);
  const bin = path.join(prefix, 'node_modules', '.bin');
  const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` };
  if (pnpmVersion(env) === version) return env;
  say(found ? `pnpm ${found} found, the repository pins ${version}: npm install -g pnpm@${version}` : `no pnpm: npm install -g pnpm@${version}`);
  if (run('npm', ['install', '-g', `pnpm@${version}`]) && pnpmVersion() === version) return process.env;
  say(`the global install did not give pnpm ${version} on PATH: installing it into ${path.relative(ROOT, prefix)}/ for this repository`);
  if (!run('npm', ['install', '--no-save', '--no-package-lock', '--prefix', prefix, `pnpm@${version}`]) || pnpmVersion(env) !== version) {
    fail(`could not install pnpm ${version}. Install it yourself (npm install -g pnpm@${version}) and run again.`);
  }
  return env;
}

/** Whether node_modules holds what pnpm-lock.yaml locks (pnpm keeps a copy of the lockfile it installed). */
function dependenciesCurrent() {
  const installed = path.join(ROOT, 'node_modules', '.pnpm', 'lock.yaml');
  if (!existsSync(installed)) return false;
  return readFileSync(installed, 'utf8') === readFileSync(path.join(ROOT, 'pnpm-lock.yaml'), 'utf8');
}

const [task, ...args] = process.argv.slice(2);
if (!task) fail('usage: node tooling/bootstrap.mjs <task> [args...] (runs `pnpm run <task>:run`)');

const env = ensurePnpm(pinnedPnpm());
if (!dependenciesCurrent()) {
  say(existsSync(path.join(ROOT, 'node_modules')) ? 'pnpm-lock.yaml changed since the last install: pnpm install --frozen-lockfile' : 'no node_modules: pnpm install --frozen-lockfile');
  if (!run('pnpm', ['install', '--frozen-lockfile'], env)) fail('pnpm install --frozen-lockfile failed (see above).');
}

// The task, as pnpm runs it; its exit code is ours. Ctrl-C reaches it from the terminal; a
// SIGTERM sent to this process is passed on.
const child = spawn('pnpm', ['run', '--silent', `${task}:run`, ...args], { cwd: ROOT, stdio: 'inherit', env, shell: WINDOWS });
for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
process.on('SIGINT', () => {});
child.on('error', (error) => fail(`could not start pnpm: ${error.message}`));
child.on('exit', (code, signal) => process.exit(signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 1)));
