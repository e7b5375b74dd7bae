CREATE TABLE "alerts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"question_id" uuid NOT NULL,
	"ticket_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"channel_id" text NOT NULL,
	"message_ts" text,
	"urgency" text NOT NULL,
	"category" text NOT NULL,
	"taken_by" text,
	"taken_at" timestamp with time zone,
	"escalated_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "cron_runs" (
	"job" text NOT NULL,
	"scheduled_for" timestamp with time zone NOT NULL,
	"claimed_by" text NOT NULL,
	"claimed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"status" text DEFAULT 'running' NOT NULL,
	"error" text,
	CONSTRAINT "cron_runs_job_scheduled_for_pk" PRIMARY KEY("job","scheduled_for")
);
--> statement-breakpoint
CREATE TABLE "feedback" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"question_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"kind" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lookups" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"question_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"source" text NOT NULL,
	"status" text NOT NULL,
	"hits" integer DEFAULT 0 NOT NULL,
	"latency_ms" integer NOT NULL,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "questions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"entry_point" text NOT NULL,
	"text" text NOT NULL,
	"text_truncated" boolean DEFAULT false NOT NULL,
	"fingerprint" text DEFAULT '' NOT NULL,
	"asker_id" text NOT NULL,
	"team_id" text,
	"channel_id" text,
	"channel_kind" text DEFAULT 'unknown' NOT NULL,
	"thread_ts" text,
	"message_ts" text,
	"permalink" text,
	"response_url" text,
	"parent_question_id" uuid,
	"urgency" text DEFAULT 'normal' NOT NULL,
	"category" text DEFAULT 'general' NOT NULL,
	"status" text DEFAULT 'received' NOT NULL,
	"answered_at" timestamp with time zone,
	"answer_ms" integer,
	"found" boolean,
	"top_score" real,
	"hit_count" integer,
	"hits" jsonb,
	"card_channel_id" text,
	"card_ts" text
);
--> statement-breakpoint
CREATE TABLE "slack_events" (
	"key" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retry_num" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tickets" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"idempotency_key" text NOT NULL,
	"question_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"reason" text DEFAULT 'asked' NOT NULL,
	"subject" text NOT NULL,
	"message" text NOT NULL,
	"customer_email" text,
	"priority" text DEFAULT 'normal' NOT NULL,
	"type" text DEFAULT 'email' NOT NULL,
	"requester_id" text,
	"desk" text,
	"external_id" text,
	"external_url" text,
	"external_status" text,
	"last_reply_at" timestamp with time zone,
	"last_reply_text" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"filed_at" timestamp with time zone,
	"response_url" text,
	"card_channel_id" text,
	"card_ts" text
);
--> statement-breakpoint
CREATE TABLE "tool_calls" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"service" text NOT NULL,
	"tool" text NOT NULL,
	"outcome" text NOT NULL,
	"latency_ms" integer NOT NULL,
	"attempts" integer DEFAULT 1 NOT NULL,
	"error" text,
	"question_id" uuid
);
--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_question_id_questions_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."questions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback" ADD CONSTRAINT "feedback_question_id_questions_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."questions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lookups" ADD CONSTRAINT "lookups_question_id_questions_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."questions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_question_id_questions_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."questions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alerts_created_idx" ON "alerts" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "alerts_question_idx" ON "alerts" USING btree ("question_id");--> statement-breakpoint
CREATE UNIQUE INDEX "feedback_once_idx" ON "feedback" USING btree ("question_id","user_id","kind");--> statement-breakpoint
CREATE INDEX "feedback_created_idx" ON "feedback" USING btree ("created_at","kind");--> statement-breakpoint
CREATE INDEX "lookups_question_idx" ON "lookups" USING btree ("question_id");--> statement-breakpoint
CREATE INDEX "lookups_created_source_idx" ON "lookups" USING btree ("created_at","source");--> statement-breakpoint
CREATE INDEX "questions_created_at_idx" ON "questions" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "questions_gaps_idx" ON "questions" USING btree ("created_at","fingerprint") WHERE "questions"."found" = false;--> statement-breakpoint
CREATE INDEX "questions_asker_created_idx" ON "questions" USING btree ("asker_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "tickets_idempotency_idx" ON "tickets" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "tickets_outbox_idx" ON "tickets" USING btree ("next_attempt_at") WHERE "tickets"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "tickets_created_idx" ON "tickets" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "tickets_external_idx" ON "tickets" USING btree ("external_id");--> statement-breakpoint
CREATE INDEX "tool_calls_created_service_idx" ON "tool_calls" USING btree ("created_at","service");