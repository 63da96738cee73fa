import { text, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './util/columns';
import { platformTable } from './util/platform-table';

export const signupWaitlist = platformTable(
  'signup_waitlist',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull().unique('signup_waitlist_email_key'),
    note: text('note'),
    createdAt: createdAt(),
  },
  { reason: 'People waiting for an account belong to no tenant yet.' },
);
