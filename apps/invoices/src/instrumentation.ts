/** Runs once when a server process starts: this process also works the app's tenant jobs (exports). */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  // What Node hides from the proxy: a second Host header (refused), the socket's peer address (per-client limits).
  const { hardenNodeServer } = await import('@studio/tenancy/next');
  await hardenNodeServer();
  if (process.env.INVOICES_JOBS === 'off') return;
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
