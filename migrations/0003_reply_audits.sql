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
CREATE INDEX "reply_audits_created_idx" ON "reply_audits" USING btree ("created_at");