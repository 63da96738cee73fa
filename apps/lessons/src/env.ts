import { authEnv } from '@studio/auth/env';
import { defineAppEnv } from '@studio/tenancy/env';
import { createEnv } from '@t3-oss/env-core';

/**
 * The app's variables (defineAppEnv: the packages' pieces, validated by t3-env in one pass, read
 * on first use, checked whole at build and at start): served at LESSONS_PUBLIC_URL (default
 * http://localhost:3002), tenants under /t/<slug>. No other file of the app reads process.env.
 */
export const { env, validateEnv, tenantOrigin } = defineAppEnv({
  createEnv,
  runtimeEnv: process.env,
  auth: authEnv,
  prefix: 'LESSONS',
  origin: 'public-url',
  defaultPort: '3002',
});
