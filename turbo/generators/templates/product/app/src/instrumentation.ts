/** Runs once when a server process starts. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  // What Node hides from the proxy: a second Host header (refused), the socket's peer address (per-client limits).
  const { hardenNodeServer } = await import('@studio/tenancy/next');
  await hardenNodeServer();
}
