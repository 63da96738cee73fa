/** Runs once when a server process starts. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const [{ registerProductServer }, { validateEnv }] = await Promise.all([import('@studio/tenancy/next'), import('./env')]);
  await registerProductServer({ name: 'lessons', validateEnv });
}
