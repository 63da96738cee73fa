import 'server-only';
import { customers } from '@studio/db-schema/schema';
import type { TenantDb } from '@studio/tenancy';
import { asc } from 'drizzle-orm';

/** The choices of the invoice form's customer menu. */
export function customerChoices(db: TenantDb) {
  return db.select({ id: customers.id, name: customers.name }).from(customers).orderBy(asc(customers.name)).limit(500);
}
