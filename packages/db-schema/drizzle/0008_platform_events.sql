CREATE TABLE "platform_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" uuid,
	"action" text NOT NULL,
	"tenant_id" uuid,
	"tenant_slug" text,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tenant_moves" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"from_placement" text NOT NULL,
	"to_placement" text NOT NULL,
	"step" text NOT NULL,
	"previous_status" "tenant_status" NOT NULL,
	"previous_reason" text,
	"read_only_since" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tenant_moves" ADD CONSTRAINT "tenant_moves_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "platform_events_created_idx" ON "platform_events" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "platform_events_tenant_idx" ON "platform_events" USING btree ("tenant_id","created_at");