import path from 'node:path';
import type { NextConfig } from 'next';

const config: NextConfig = {
  // Each app ships on its own: `next build` emits a self-contained server in .next/standalone.
  output: 'standalone',
  outputFileTracingRoot: path.join(import.meta.dirname, '../..'),
  // Loaded from node_modules at run time: native sockets, and the guard's WebAssembly parser.
  serverExternalPackages: ['postgres', 'libpg-query'],
  // forbidden() and forbidden.tsx: a member without the permission a page needs gets a real 403.
  experimental: { authInterrupts: true },
};

export default config;
