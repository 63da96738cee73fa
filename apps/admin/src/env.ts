import { authEnv } from '@studio/auth/env';
import { defineAppEnv } from '@studio/tenancy/env';
import { createEnv } from '@t3-oss/env-core';

/**
 * The console's variables (defineAppEnv: the packages' pieces, validated by t3-env in one pass,
 * read on first use, checked whole at build and at start): served at ADMIN_PUBLIC_URL (default
 * http://localhost:3003); at start it needs the admin role's database too (BYPASSRLS: cross-tenant
 * reads and the platform's own tables, C11). No other file of the app reads process.env.
 */
export const { env, validateEnv } = defineAppEnv({
  createEnv,
  runtimeEnv: process.env,
  auth: authEnv,
  prefix: 'ADMIN',
  origin: 'public-url',
  defaultPort: '3003',
  databases: ['admin'],
});
