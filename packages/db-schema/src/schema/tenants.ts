import { sql } from 'drizzle-orm';
import { check, jsonb, pgEnum, text, uuid } from 'drizzle-orm/pg-core';
import { LOCALE_TAG_SOURCE } from '../locale';
import { plans } from './plans';
import { timestamps } from './util/columns';
import { platformTable } from './util/platform-table';

export const tenantStatus = pgEnum('tenant_status', ['active', 'suspended', 'read_only']);

export interface TenantBranding {
  /** CSS colour used for the tenant's pages and PDFs, e.g. '#2563eb'. */
  primaryColor: string;
  logoUrl?: string;
}

export const tenants = platformTable(
  'tenants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull().unique('tenants_slug_key'),
    name: text('name').notNull(),
    status: tenantStatus('status').notNull().default('active'),
    /** Why the tenant is suspended or read-only, shown to its users. */
    statusReason: text('status_reason'),
    plan: text('plan')
      .notNull()
      .default('free')
      .references(() => plans.id),
    /** Key of the database the tenant's rows live in; 'shared' is DATABASE_URL. */
    placement: text('placement').notNull().default('shared'),
    /**
     * Better Auth's organization fields, which its schema check requires. The platform reads the
     * logo from `branding`; both stay null unless a tool sets them.
     */
    logo: text('logo'),
    metadata: text('metadata'),
    branding: jsonb('branding').$type<TenantBranding>().notNull().default({ primaryColor: '#2563eb' }),
    /**
     * The BCP 47 language tag the tenant's money, dates and numbers are written and read in
     * ('de-DE': '1.234,50 €'), set in the console. Null: each reader's Accept-Language.
     */
    locale: text('locale'),
    ...timestamps(),
  },
  {
    reason: 'The registry of tenants itself: resolving a slug happens before any tenant is known.',
    // What a product shows of its own tenant (name, status and why, branding, plan).
    productReads: ['id', 'slug', 'name', 'status', 'status_reason', 'placement', 'branding', 'locale', 'plan'],
    extra: (t) => [
      check('tenants_slug_format', sql`${t.slug} ~ '^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$'`),
      // The shape of a language tag; the console also checks that Intl knows it.
      check('tenants_locale_format', sql`${t.locale} ~ ${sql.raw(`'${LOCALE_TAG_SOURCE}'`)}`),
    ],
  },
);
