import { integer, text } from 'drizzle-orm/pg-core';
import { timestamps } from './util/columns';
import { platformTable } from './util/platform-table';

export const plans = platformTable(
  'plans',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    maxMembers: integer('max_members').notNull(),
    monthlyPriceCents: integer('monthly_price_cents').notNull().default(0),
    ...timestamps(),
  },
  {
    reason: 'The price list is the same for every tenant; tenants point at a plan.',
    productReads: ['id', 'name', 'max_members', 'monthly_price_cents', 'created_at', 'updated_at'],
  },
);
