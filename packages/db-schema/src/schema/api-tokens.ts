import { sql } from 'drizzle-orm';
import { text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { users } from './users';
import { tenantTable } from './util/tenant-table';

/**
 * API tokens for a tenant's JSON APIs. Only a SHA-256 of the secret is stored; the token names
 * its tenant, so it is looked up through the scoped client of that tenant (RLS applies).
 */
export const apiTokens = tenantTable(
  'api_tokens',
  {
    name: text('name').notNull(),
    /** Hex SHA-256 of the whole token. The token itself is shown once and never stored. */
    tokenHash: text('token_hash').notNull(),
    /** The first characters of the secret, so people can tell their tokens apart. */
    prefix: text('prefix').notNull(),
    /**
     * The permissions chosen at creation (C14), e.g. {invoices:read}. A token opens only the
     * JSON API routes that need one of them, and only while its maker may grant them.
     */
    scopes: text('scopes').array().notNull().default(sql`'{}'::text[]`),
    /** Who made it. The token stops working when this person may no longer make tokens here. */
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  {
    rls: true,
    secretColumns: ['token_hash'],
    extra: (t) => [unique('api_tokens_tenant_hash_key').on(t.tenantId, t.tokenHash)],
  },
);
