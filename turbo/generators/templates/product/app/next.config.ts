import path from 'node:path';
import type { NextConfig } from 'next';
import { PHASE_PRODUCTION_BUILD } from 'next/constants';
import { validateEnv } from './src/env';

const config: NextConfig = {
  // Each app ships on its own: `next build` emits a self-contained server in .next/standalone.
  output: 'standalone',
  outputFileTracingRoot: path.join(import.meta.dirname, '../..'),
  // Loaded from node_modules at run time: native sockets, and the guard's WebAssembly parser.
  serverExternalPackages: ['postgres', 'libpg-query'],
  // forbidden() and forbidden.tsx: a member without the permission a page needs gets a real 403.
  experimental: { authInterrupts: true },
};

/** The variables are checked when the app builds and when `next dev` starts; the server checks them again at start. */
export default function nextConfig(phase: string): NextConfig {
  validateEnv({ build: phase === PHASE_PRODUCTION_BUILD });
  return config;
}
