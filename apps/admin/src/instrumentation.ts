/** Runs once when a server process starts. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  // Every variable checked before the first request: a wrong one stops the server, named.
  const { validateEnv } = await import('./env');
  try {
    validateEnv({ start: true });
  } catch (error) {
    console.error(`The admin server does not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  // What Node hides from the proxy: a second Host header (refused), the socket's peer address (per-client limits).
  const { hardenNodeServer } = await import('@studio/tenancy/next');
  await hardenNodeServer();
}
