import { authEnv } from '@studio/auth/env';
import { defineAppEnv } from '@studio/tenancy/env';
import { createEnv } from '@t3-oss/env-core';
import { z } from 'zod';

/**
 * The app's variables (defineAppEnv: the packages' pieces and these, validated by t3-env in one
 * pass, read on first use, checked whole at build and at start): tenants at
 * <slug>.INVOICES_BASE_DOMAIN, INVOICES_PUBLIC_PORT (empty or 'none': no port) and
 * INVOICES_PROTOCOL. No other file of the app reads process.env.
 */
export const { env, validateEnv, tenantOrigin } = defineAppEnv({
  createEnv,
  runtimeEnv: process.env,
  auth: authEnv,
  prefix: 'INVOICES',
  origin: 'subdomains',
  defaultPort: '3001',
  databases: ['jobs'],
  server: { INVOICES_JOBS: z.enum(['on', 'off']).default('on') },
  /** Whether this process works the export queue (INVOICES_JOBS=off: it does not). */
  settings: { jobsEnabled: (vars) => vars.INVOICES_JOBS === 'on' },
});
