import { boolean, text, uuid } from 'drizzle-orm/pg-core';
import { users } from './users';
import { updatedAt } from './util/columns';
import { tenantTable } from './util/tenant-table';

/** Lessons product: guard-only enforcement (RLS off), to show both modes on one contract. */
export const lessonPlans = tenantTable(
  'lesson_plans',
  {
    title: text('title').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull().default(''),
    authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
    /** Visible to every member of the tenant, not only its author. */
    shared: boolean('shared').notNull().default(false),
    updatedAt: updatedAt(),
  },
  { rls: false },
);
