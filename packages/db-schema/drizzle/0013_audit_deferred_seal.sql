ALTER TABLE "audit_events" ALTER COLUMN "seq" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "audit_events" ALTER COLUMN "seq" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_events" ALTER COLUMN "hash" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "audit_events" ALTER COLUMN "hash" DROP NOT NULL;