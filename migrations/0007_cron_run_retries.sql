ALTER TABLE "cron_runs" ADD COLUMN "attempts" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "cron_runs" ADD COLUMN "next_attempt_at" timestamp with time zone;