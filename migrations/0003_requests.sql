CREATE TABLE "request_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"request_id" bigint NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" text,
	"kind" text NOT NULL,
	"via" text,
	"from_status" text,
	"to_status" text,
	"detail" jsonb
);
--> statement-breakpoint
CREATE TABLE "requests" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"team_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"root_ts" text NOT NULL,
	"asker_id" text NOT NULL,
	"channel_kind" text DEFAULT 'unknown' NOT NULL,
	"text" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"taken_by" text,
	"taken_at" timestamp with time zone,
	"first_response_at" timestamp with time zone,
	"first_response_by" text,
	"resolved_at" timestamp with time zone,
	"resolved_by" text,
	"sla_due_at" timestamp with time zone NOT NULL,
	"breached_at" timestamp with time zone,
	"alert_channel_id" text,
	"alert_ts" text,
	"reply_ts" text,
	"question_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "request_events" ADD CONSTRAINT "request_events_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests" ADD CONSTRAINT "requests_question_id_questions_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."questions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "request_events_request_idx" ON "request_events" USING btree ("request_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "requests_thread_unique" ON "requests" USING btree ("team_id","channel_id","root_ts");--> statement-breakpoint
CREATE INDEX "requests_reply_idx" ON "requests" USING btree ("channel_id","reply_ts");--> statement-breakpoint
CREATE INDEX "requests_sla_due_idx" ON "requests" USING btree ("sla_due_at") WHERE "requests"."first_response_at" is null and "requests"."breached_at" is null;--> statement-breakpoint
CREATE INDEX "requests_channel_status_idx" ON "requests" USING btree ("channel_id","status","created_at");--> statement-breakpoint
CREATE INDEX "requests_asker_idx" ON "requests" USING btree ("asker_id","created_at");--> statement-breakpoint
CREATE INDEX "requests_taken_by_idx" ON "requests" USING btree ("taken_by","status");