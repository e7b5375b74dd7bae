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
CREATE UNIQUE INDEX "channel_settings_channel_unique" ON "channel_settings" USING btree ("team_id","channel_id");--> statement-breakpoint
CREATE INDEX "channel_settings_audit_channel_idx" ON "channel_settings_audit" USING btree ("team_id","channel_id","changed_at");