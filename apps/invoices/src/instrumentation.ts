/** Runs once when a server process starts: this process also works the app's tenant jobs (exports). */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.INVOICES_JOBS === 'off') return;
  const { getJobs } = await import('./jobs');
  await getJobs()
    .jobs.start()
    .catch((error: unknown) => console.error(`[jobs] workers not started: ${error instanceof Error ? error.message : String(error)}`));
}
