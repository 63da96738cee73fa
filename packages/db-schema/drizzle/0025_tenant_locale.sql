-- Issue 23 item 2: a tenant's own locale. Money, dates and numbers in its products are written
-- and read in it (null: each reader's Accept-Language, as before). A nullable column with no
-- default: no row is rewritten, and the previous app version, which selects named columns, keeps
-- working during a deploy. The console sets it; products read it (table-level SELECT, as today).
ALTER TABLE "tenants" ADD COLUMN "locale" text;--> statement-breakpoint
ALTER TABLE "tenants" ADD CONSTRAINT "tenants_locale_format" CHECK ("tenants"."locale" ~ '^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,4}$');