-- Issue 23 item 6: an invoice's line items (description, whole-number quantity, unit price).
-- invoices.amount_cents stays the stored total (the sum of the lines when there are lines), so the
-- lists and the dashboard read it as before. No data moves here: an invoice without lines is a
-- valid state (its total is amount_cents, shown as one line "Invoice total"), which is also what
-- an invoice written by the previous app version during a deploy looks like. Copying every
-- invoice's total into a line in this transaction would lock the whole invoices table for as long
-- as that takes, and FORCE RLS binds the owner running it; the backfill `invoice-lines-from-total`
-- (`pnpm studio db backfill invoice-lines-from-total`) gives legacy invoices their line, tenant
-- by tenant in batches, and is safe to run at any time after this migration.
CREATE TABLE "invoice_lines" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"invoice_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"description" text NOT NULL,
	"quantity" integer NOT NULL,
	"unit_amount_cents" integer NOT NULL,
	CONSTRAINT "invoice_lines_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "invoice_lines_description_length" CHECK (char_length("invoice_lines"."description") between 1 and 200),
	CONSTRAINT "invoice_lines_quantity_positive" CHECK ("invoice_lines"."quantity" > 0),
	CONSTRAINT "invoice_lines_unit_amount_nonnegative" CHECK ("invoice_lines"."unit_amount_cents" >= 0),
	CONSTRAINT "invoice_lines_position_nonnegative" CHECK ("invoice_lines"."position" >= 0)
);
--> statement-breakpoint
ALTER TABLE "invoice_lines" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_invoice_fkey" FOREIGN KEY ("tenant_id","invoice_id") REFERENCES "public"."invoices"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "invoice_lines_tenant_invoice_position_idx" ON "invoice_lines" USING btree ("tenant_id","invoice_id","position");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "invoice_lines" AS PERMISSIVE FOR ALL TO public USING ("invoice_lines"."tenant_id" = (select tenant_id from studio_current_tenant)) WITH CHECK ("invoice_lines"."tenant_id" = (select tenant_id from studio_current_tenant));--> statement-breakpoint
-- C5 for invoice_lines (drizzle-kit does not emit FORCE), and the grants every product table gets.
ALTER TABLE "invoice_lines" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
DO $grants$
DECLARE
  app text := current_setting('studio.app_role');
  admin text := current_setting('studio.admin_role');
BEGIN
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON invoice_lines TO %I', app);
  EXECUTE format('GRANT SELECT ON invoice_lines TO %I', admin);
END
$grants$;
