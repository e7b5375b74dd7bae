CREATE TABLE "digest_day_gaps" (
	"day" date NOT NULL,
	"team_key" text NOT NULL,
	"fingerprint" text NOT NULL,
	"n" integer NOT NULL,
	"latest_id" uuid NOT NULL,
	"latest_at" timestamp with time zone NOT NULL,
	"latest_public_id" uuid,
	"latest_public_at" timestamp with time zone,
	"all_private" boolean NOT NULL,
	CONSTRAINT "digest_day_gaps_day_fingerprint_team_key_pk" PRIMARY KEY("day","fingerprint","team_key")
);
--> statement-breakpoint
CREATE TABLE "digest_day_horizons" (
	"day" date PRIMARY KEY NOT NULL,
	"next_xid" "xid8" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "digest_day_lookups" (
	"day" date NOT NULL,
	"team_key" text NOT NULL,
	"source" text NOT NULL,
	"latency_histogram" "bytea" NOT NULL,
	"errors" integer NOT NULL,
	"hits" integer NOT NULL,
	CONSTRAINT "digest_day_lookups_day_team_key_source_pk" PRIMARY KEY("day","team_key","source")
);
--> statement-breakpoint
CREATE TABLE "digest_day_questions" (
	"day" date NOT NULL,
	"team_key" text NOT NULL,
	"entry_point" text NOT NULL,
	"category" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "digest_day_questions_day_team_key_entry_point_category_pk" PRIMARY KEY("day","team_key","entry_point","category")
);
--> statement-breakpoint
CREATE TABLE "digest_day_teams" (
	"day" date NOT NULL,
	"team_key" text NOT NULL,
	"deflected" integer NOT NULL,
	"not_helpful" integer NOT NULL,
	"answer_histogram" "bytea" NOT NULL,
	CONSTRAINT "digest_day_teams_day_team_key_pk" PRIMARY KEY("day","team_key")
);
--> statement-breakpoint
CREATE TABLE "digest_day_tickets" (
	"day" date NOT NULL,
	"team_key" text NOT NULL,
	"status" text NOT NULL,
	"reason" text NOT NULL,
	"priority" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "digest_day_tickets_day_team_key_status_reason_priority_pk" PRIMARY KEY("day","team_key","status","reason","priority")
);
--> statement-breakpoint
CREATE TABLE "digest_days" (
	"day" date PRIMARY KEY NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "digest_dirty_days" (
	"day" date PRIMARY KEY NOT NULL,
	"marked_at" timestamp with time zone DEFAULT now() NOT NULL
);
