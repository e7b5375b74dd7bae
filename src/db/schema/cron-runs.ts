import { integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** One row per scheduled run; the insert that creates it is what lets exactly one replica run it. */
export const cronRuns = pgTable(
  'cron_runs',
  {
    job: text('job').notNull(),
    scheduledFor: timestamp('scheduled_for', { withTimezone: true }).notNull(),
    claimedBy: text('claimed_by').notNull(),
    claimedAt: timestamp('claimed_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /** running | done | failed */
    status: text('status').notNull().default('running'),
    error: text('error'),
    /** Posts tried for this tick, the first included. */
    attempts: integer('attempts').notNull().default(1),
    /** When a failed run is tried again; null once done or given up. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
  },
  (table) => [primaryKey({ columns: [table.job, table.scheduledFor] })],
);
