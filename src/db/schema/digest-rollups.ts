import {
  boolean,
  customType,
  date,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

/*
 * Daily rollups of the digest's dearest figures, per UTC day and workspace, so a 30-day digest
 * reads a few hundred rows instead of every question and lookup of the period. They stay exact:
 * only days that ended at least a day ago are rolled up, and a trigger marks a day dirty in
 * `digest_dirty_days` whenever a late write touches it (a spooled question or lookup, feedback or
 * a ticket on an old question, a ticket's status changing); a dirty day is recomputed before it is
 * used again. The triggers and the reasoning about writes racing a recomputation are in
 * migrations/0006_digest_rollup_triggers.sql and src/digest/rollups.ts. `team_key` is the
 * question's team_id, '' when it has none.
 */

/**
 * A histogram of integers (value → how many rows had it): big-endian int32 pairs (value, count),
 * ascending by value, as `string_agg(int4send(value) || int4send(count), '' order by value)` makes
 * them. A digest reads a few dozen of these; bytea is read several times faster than int arrays.
 */
const histogram = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
});

/** A day whose rollup rows (every workspace) were computed; usable while it has no dirty mark. */
export const digestDays = pgTable('digest_days', {
  day: date('day', { mode: 'string' }).primaryKey(),
  computedAt: timestamp('computed_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A transaction id (`pg_current_xact_id()`), as text: no digest code does arithmetic on it. */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });

/**
 * Yesterday's horizon: the id of the transaction that recorded it, after yesterday ended. Once no
 * transaction below it is running, every write made while yesterday was still today has committed
 * or aborted, and yesterday can be rolled up (see src/digest/rollups.ts).
 */
export const digestDayHorizons = pgTable('digest_day_horizons', {
  day: date('day', { mode: 'string' }).primaryKey(),
  nextXid: xid8('next_xid').notNull(),
});

/** A day written to since its rollup was computed (or while it was being computed). */
export const digestDirtyDays = pgTable('digest_dirty_days', {
  day: date('day', { mode: 'string' }).primaryKey(),
  markedAt: timestamp('marked_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Per day and workspace: how many questions were deflected (marked Solved, no ticket) or marked
 * Not helpful, on the question's day whenever the feedback came, and the answer times' histogram.
 */
export const digestDayTeams = pgTable(
  'digest_day_teams',
  {
    day: date('day', { mode: 'string' }).notNull(),
    teamKey: text('team_key').notNull(),
    deflected: integer('deflected').notNull(),
    notHelpful: integer('not_helpful').notNull(),
    answerHistogram: histogram('answer_histogram').notNull(),
  },
  (table) => [primaryKey({ columns: [table.day, table.teamKey] })],
);

/** Questions per day, workspace, way in and category. */
export const digestDayQuestions = pgTable(
  'digest_day_questions',
  {
    day: date('day', { mode: 'string' }).notNull(),
    teamKey: text('team_key').notNull(),
    entryPoint: text('entry_point').notNull(),
    category: text('category').notNull(),
    n: integer('n').notNull(),
  },
  (table) => [primaryKey({ columns: [table.day, table.teamKey, table.entryPoint, table.category] })],
);

/** Tickets per day (their own created_at), workspace (their question's), status, reason and priority. */
export const digestDayTickets = pgTable(
  'digest_day_tickets',
  {
    day: date('day', { mode: 'string' }).notNull(),
    teamKey: text('team_key').notNull(),
    status: text('status').notNull(),
    reason: text('reason').notNull(),
    priority: text('priority').notNull(),
    n: integer('n').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.day, table.teamKey, table.status, table.reason, table.priority] }),
  ],
);

/**
 * Knowledge gaps per day, workspace and fingerprint: how many, the latest question asked that way
 * (and the latest asked in a public channel) with when, and whether every one was asked privately:
 * what merging days needs to give the same groups and examples as one query over the period. The
 * examples' text is read from `questions` for the few groups a digest shows.
 */
export const digestDayGaps = pgTable(
  'digest_day_gaps',
  {
    day: date('day', { mode: 'string' }).notNull(),
    teamKey: text('team_key').notNull(),
    fingerprint: text('fingerprint').notNull(),
    n: integer('n').notNull(),
    latestId: uuid('latest_id').notNull(),
    latestAt: timestamp('latest_at', { withTimezone: true }).notNull(),
    latestPublicId: uuid('latest_public_id'),
    latestPublicAt: timestamp('latest_public_at', { withTimezone: true }),
    allPrivate: boolean('all_private').notNull(),
  },
  // By fingerprint before workspace: a digest looks up the examples of its top groups by day and fingerprint.
  (table) => [primaryKey({ columns: [table.day, table.fingerprint, table.teamKey] })],
);

/**
 * Lookups per day (their own created_at), workspace (their question's) and source: the latency
 * histogram, errors and hits.
 */
export const digestDayLookups = pgTable(
  'digest_day_lookups',
  {
    day: date('day', { mode: 'string' }).notNull(),
    teamKey: text('team_key').notNull(),
    source: text('source').notNull(),
    latencyHistogram: histogram('latency_histogram').notNull(),
    errors: integer('errors').notNull(),
    hits: integer('hits').notNull(),
  },
  (table) => [primaryKey({ columns: [table.day, table.teamKey, table.source] })],
);
