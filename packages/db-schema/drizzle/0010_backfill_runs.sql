CREATE TABLE "backfill_runs" (
	"name" text NOT NULL,
	"tenant_id" uuid NOT NULL,
	"rows" integer NOT NULL,
	"finished_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "backfill_runs_pkey" PRIMARY KEY("name","tenant_id")
);
--> statement-breakpoint
ALTER TABLE "backfill_runs" ADD CONSTRAINT "backfill_runs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;