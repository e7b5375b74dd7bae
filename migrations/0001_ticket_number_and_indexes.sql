DROP INDEX "alerts_question_idx";--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "external_number" text;--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_question_unique" ON "alerts" USING btree ("question_id");--> statement-breakpoint
CREATE INDEX "alerts_open_idx" ON "alerts" USING btree ("created_at") WHERE "alerts"."taken_by" is null and "alerts"."escalated_at" is null;--> statement-breakpoint
CREATE INDEX "questions_thread_idx" ON "questions" USING btree ("channel_id","thread_ts");