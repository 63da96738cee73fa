import path from 'node:path';
import type { NextConfig } from 'next';

const config: NextConfig = {
  // Each app ships on its own: `next build` emits a self-contained server in .next/standalone.
  output: 'standalone',
  outputFileTracingRoot: path.join(import.meta.dirname, '../..'),
  serverExternalPackages: ['postgres'],
};

export default config;
