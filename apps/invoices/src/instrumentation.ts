/** Runs once when a server process starts: this process also works the app's tenant jobs (exports) unless INVOICES_JOBS=off. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const [{ registerProductServer }, { env, validateEnv }] = await Promise.all([import('@studio/tenancy/next'), import('./env')]);
  await registerProductServer({ name: 'invoices', validateEnv, jobs: async () => (env.jobsEnabled ? (await import('./jobs')).getJobs().jobs : null) });
}
