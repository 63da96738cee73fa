DROP INDEX "audit_events_tenant_created_idx";--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "seq" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "prev_hash" text;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "hash" text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX "audit_events_tenant_created_id_idx" ON "audit_events" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
-- The unique (tenant_id, seq) key is added by 0005, after existing events are numbered.