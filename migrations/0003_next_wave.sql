CREATE TABLE "channel_settings" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"team_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"auto_answer" boolean DEFAULT true NOT NULL,
	"sources" jsonb,
	"sla_minutes" integer NOT NULL,
	"alert_channel" text,
	"responder_usergroup" text,
	"responder_user_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"questions_only" boolean DEFAULT false NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "channel_settings_audit" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"team_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"changed_by" text NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"changes" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reply_audits" (
	"question_id" uuid PRIMARY KEY NOT NULL,
	"team_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"method" text NOT NULL,
	"reply" jsonb,
	"passages" jsonb NOT NULL,
	"model" text,
	"prompt" jsonb,
	"model_text" text,
	"llm_outcome" text,
	"error" text,
	"took_ms" integer NOT NULL
);
--> statement-breakpoint
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
CREATE TABLE "slack_installations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"team_id" text,
	"team_name" text,
	"enterprise_id" text,
	"enterprise_name" text,
	"enterprise_url" text,
	"is_enterprise_install" boolean DEFAULT false NOT NULL,
	"app_id" text,
	"bot_id" text,
	"bot_user_id" text,
	"bot_scopes" text,
	"bot_token_encrypted" text,
	"user_id" text,
	"user_scopes" text,
	"user_token_encrypted" text,
	"token_type" text,
	"installed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "thread_additions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"team_id" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"ticket_id" bigint NOT NULL,
	"direction" text NOT NULL,
	"kind" text NOT NULL,
	"channel_id" text NOT NULL,
	"thread_ts" text NOT NULL,
	"slack_ts" text,
	"external_thread_id" text,
	"author_id" text,
	"author_name" text,
	"text" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "ticket_threads" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"team_id" text NOT NULL,
	"ticket_id" bigint NOT NULL,
	"channel_id" text NOT NULL,
	"thread_ts" text NOT NULL,
	"asker_id" text NOT NULL,
	"after_ts" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "request_events" ADD CONSTRAINT "request_events_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests" ADD CONSTRAINT "requests_question_id_questions_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."questions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "thread_additions" ADD CONSTRAINT "thread_additions_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_threads" ADD CONSTRAINT "ticket_threads_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "channel_settings_channel_unique" ON "channel_settings" USING btree ("team_id","channel_id");--> statement-breakpoint
CREATE INDEX "channel_settings_audit_channel_idx" ON "channel_settings_audit" USING btree ("team_id","channel_id","changed_at");--> statement-breakpoint
CREATE INDEX "reply_audits_created_idx" ON "reply_audits" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "request_events_request_idx" ON "request_events" USING btree ("request_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "requests_thread_unique" ON "requests" USING btree ("team_id","channel_id","root_ts");--> statement-breakpoint
CREATE INDEX "requests_reply_idx" ON "requests" USING btree ("channel_id","reply_ts");--> statement-breakpoint
CREATE INDEX "requests_sla_due_idx" ON "requests" USING btree ("sla_due_at") WHERE "requests"."first_response_at" is null and "requests"."breached_at" is null;--> statement-breakpoint
CREATE INDEX "requests_channel_status_idx" ON "requests" USING btree ("channel_id","status","created_at");--> statement-breakpoint
CREATE INDEX "requests_asker_idx" ON "requests" USING btree ("asker_id","created_at");--> statement-breakpoint
CREATE INDEX "requests_taken_by_idx" ON "requests" USING btree ("taken_by","status");--> statement-breakpoint
CREATE UNIQUE INDEX "slack_installations_key_idx" ON "slack_installations" USING btree (coalesce("enterprise_id", ''),coalesce("team_id", ''));--> statement-breakpoint
CREATE INDEX "slack_installations_team_idx" ON "slack_installations" USING btree ("team_id");--> statement-breakpoint
CREATE UNIQUE INDEX "thread_additions_key_unique" ON "thread_additions" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "thread_additions_outbox_idx" ON "thread_additions" USING btree ("next_attempt_at") WHERE "thread_additions"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "thread_additions_slack_idx" ON "thread_additions" USING btree ("channel_id","slack_ts");--> statement-breakpoint
CREATE INDEX "thread_additions_external_idx" ON "thread_additions" USING btree ("ticket_id","external_thread_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ticket_threads_ticket_unique" ON "ticket_threads" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "ticket_threads_thread_idx" ON "ticket_threads" USING btree ("channel_id","thread_ts");