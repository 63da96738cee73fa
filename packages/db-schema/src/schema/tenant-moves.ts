import { text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { timestamps } from './util/columns';
import { platformTable } from './util/platform-table';
import { tenantStatus, tenants } from './tenants';

/**
 * A tenant move in progress (`pnpm studio tenants move`): the step it reached, so a crashed move
 * resumes where it stopped. One row per tenant at most; deleted when the move is done.
 */
export const tenantMoves = platformTable(
  'tenant_moves',
  {
    tenantId: uuid('tenant_id')
      .primaryKey()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    fromPlacement: text('from_placement').notNull(),
    toPlacement: text('to_placement').notNull(),
    /** The last step completed: marked, copied, verified, flipped (then the row goes). */
    step: text('step').notNull(),
    /** The status to restore when the move ends (the tenant is read_only meanwhile). */
    previousStatus: tenantStatus('previous_status').notNull(),
    previousReason: text('previous_reason'),
    readOnlySince: timestamp('read_only_since', { withTimezone: true }),
    ...timestamps(),
  },
  { reason: 'Operator bookkeeping about a tenant as a whole, kept next to the tenants registry.' },
);
