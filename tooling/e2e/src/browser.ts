/**
 * Real Chromium for the browser tests: Debian's `chromium` package (CI installs it), driven by
 * playwright-core. Nothing is downloaded: without a Chromium the tests say how to get one.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The browser binary: CHROMIUM_PATH, or a system Chromium; null when there is none. */
export function chromiumPath(): string | null {
  const fromEnv = process.env.CHROMIUM_PATH?.trim();
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist.`);
    return fromEnv;
  }
  return CANDIDATES.find((candidate) => existsSync(candidate)) ?? null;
}

export const NO_CHROMIUM =
  'No Chromium found: the browser tests need one (Debian: `apt-get install chromium`; elsewhere set CHROMIUM_PATH). `.ci/run` installs it.';

/** `extraArgs`: more switches, e.g. `--host-resolver-rules=MAP *.studio.test 127.0.0.1` for a base domain that is not localhost. */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error(NO_CHROMIUM);
  return chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
  });
}

export const ARTIFACTS = path.resolve(import.meta.dirname, '../artifacts');

/** A full-page screenshot in artifacts/ (kept by CI, looked at by whoever changes a page). */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
