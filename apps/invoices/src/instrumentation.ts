/** Runs once when a server process starts: this process also works the app's tenant jobs (exports). */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  // Every variable checked before the first request: a wrong one stops the server, named.
  const { env, validateEnv } = await import('./env');
  try {
    validateEnv({ start: true });
  } catch (error) {
    console.error(`The invoices server does not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  // What Node hides from the proxy: a second Host header (refused), the socket's peer address (per-client limits).
  const { hardenNodeServer } = await import('@studio/tenancy/next');
  await hardenNodeServer();
  if (!env.jobsEnabled) return;
  const { getJobs } = await import('./jobs');
  // A database that is down at boot delays the workers, it does not stop them: try again every 30 s.
  const start = (): void => {
    Promise.resolve()
      .then(() => getJobs().jobs.start())
      .catch((error: unknown) => {
        console.error(`[jobs] workers not started, trying again in 30 s: ${error instanceof Error ? error.message : String(error)}`);
        setTimeout(start, 30_000).unref();
      });
  };
  start();
}
