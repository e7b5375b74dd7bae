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
ALTER TABLE "thread_additions" ADD CONSTRAINT "thread_additions_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_threads" ADD CONSTRAINT "ticket_threads_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "thread_additions_key_unique" ON "thread_additions" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "thread_additions_outbox_idx" ON "thread_additions" USING btree ("next_attempt_at") WHERE "thread_additions"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "thread_additions_slack_idx" ON "thread_additions" USING btree ("channel_id","slack_ts");--> statement-breakpoint
CREATE INDEX "thread_additions_external_idx" ON "thread_additions" USING btree ("ticket_id","external_thread_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ticket_threads_ticket_unique" ON "ticket_threads" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "ticket_threads_thread_idx" ON "ticket_threads" USING btree ("channel_id","thread_ts");