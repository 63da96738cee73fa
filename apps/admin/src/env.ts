import { authEnv } from '@studio/auth/env';
import { defineAppEnv } from '@studio/tenancy/env';
import { createEnv } from '@t3-oss/env-core';
import { z } from 'zod';

/** What a first-owner invitation link looks like: a product app's invite page, with {tenant} and {id} filled in. */
const invitationUrl = z
  .string()
  .trim()
  .refine(
    (value) => value.includes('{tenant}') && value.includes('{id}') && /^https?:\/\//.test(value) && URL.canParse(value.replace('{tenant}', 'acme').replace('{id}', '0')),
    'must be a product app\'s invite page with {tenant} and {id}, such as http://{tenant}.localhost:3001/invite/{id} or http://localhost:3002/t/{tenant}/invite/{id}',
  )
  .default('http://{tenant}.localhost:3001/invite/{id}');

/**
 * The console's variables (defineAppEnv: the packages' pieces, validated by t3-env in one pass,
 * read on first use, checked whole at build and at start): served at ADMIN_PUBLIC_URL (default
 * http://localhost:3003); at start it needs the admin role's database too (BYPASSRLS: cross-tenant
 * reads and the platform's own tables, C11). ADMIN_INVITATION_URL: where the invitee of a tenant's
 * first owner accepts, a product app's invite page (default the invoices app in development). No
 * other file of the app reads process.env.
 */
export const { env, validateEnv } = defineAppEnv({
  createEnv,
  runtimeEnv: process.env,
  auth: authEnv,
  prefix: 'ADMIN',
  origin: 'public-url',
  defaultPort: '3003',
  databases: ['admin'],
  server: { ADMIN_INVITATION_URL: invitationUrl },
  settings: {
    /** The invite link of an invitation to a tenant: ADMIN_INVITATION_URL filled in. */
    invitationLink: (vars) => (invitation: { id: string; tenantSlug: string }) =>
      vars.ADMIN_INVITATION_URL.replaceAll('{tenant}', invitation.tenantSlug).replaceAll('{id}', invitation.id),
  },
});
