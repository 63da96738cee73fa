/** The invoices app as it ships (built through turbo, started with `node server.js`): @studio/e2e's launcher. */
import { buildApps, startApp, type RunningApp } from '@studio/e2e/apps';

export { ROOT, type RunningApp } from '@studio/e2e/apps';

export function buildInvoices(): Promise<void> {
  return buildApps(['invoices']);
}

/** Starts the built app against `appUrl` (the app role's URL); `env` adds or overrides settings. */
export function startInvoices(appUrl: string, env: Record<string, string> = {}): Promise<RunningApp> {
  return startApp('invoices', appUrl, env);
}
