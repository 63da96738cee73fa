CREATE TABLE "break_glass_grants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"admin_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"allow_writes" boolean DEFAULT false NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "break_glass_grants_reason_length" CHECK (char_length("break_glass_grants"."reason") between 10 and 500),
	CONSTRAINT "break_glass_grants_expiry" CHECK ("break_glass_grants"."expires_at" > "break_glass_grants"."created_at")
);
--> statement-breakpoint
ALTER TABLE "break_glass_grants" ADD CONSTRAINT "break_glass_grants_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "break_glass_grants" ADD CONSTRAINT "break_glass_grants_admin_id_users_id_fk" FOREIGN KEY ("admin_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "break_glass_grants_admin_tenant_idx" ON "break_glass_grants" USING btree ("admin_id","tenant_id","expires_at");--> statement-breakpoint
CREATE INDEX "break_glass_grants_expires_idx" ON "break_glass_grants" USING btree ("expires_at");