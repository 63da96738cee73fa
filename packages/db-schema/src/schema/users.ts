import { boolean, text, uuid } from 'drizzle-orm/pg-core';
import { timestamps } from './util/columns';
import { platformTable } from './util/platform-table';

export const users = platformTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    email: text('email').notNull().unique('users_email_key'),
    emailVerified: boolean('email_verified').notNull().default(false),
    image: text('image'),
    /**
     * Platform staff (C7). A separate boolean, never a value of a tenant role: it opens the
     * admin console and grants no access to any tenant's data through the product apps.
     */
    isPlatformAdmin: boolean('is_platform_admin').notNull().default(false),
    ...timestamps(),
  },
  { reason: 'A person can belong to several tenants; tenant roles live on memberships.' },
);
