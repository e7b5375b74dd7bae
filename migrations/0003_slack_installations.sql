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
CREATE UNIQUE INDEX "slack_installations_key_idx" ON "slack_installations" USING btree (coalesce("enterprise_id", ''),coalesce("team_id", ''));--> statement-breakpoint
CREATE INDEX "slack_installations_team_idx" ON "slack_installations" USING btree ("team_id");