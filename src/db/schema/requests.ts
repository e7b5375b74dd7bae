import { sql } from 'drizzle-orm';
import { bigserial, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { questions } from './questions.js';

/**
 * One row per support-channel thread: a new top-level message in a support channel is a request.
 * The owner, the status and the first human response each have a column of their own, so the SLA
 * scan, App Home and the digest read them without joins.
 */
export const requests = pgTable(
  'requests',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    teamId: text('team_id').notNull(),
    channelId: text('channel_id').notNull(),
    /** The root message's ts, as Slack writes it ("1700000000.000100"): text, never a number. */
    rootTs: text('root_ts').notNull(),
    askerId: text('asker_id').notNull(),
    /** public | private | unknown: a private channel's text is never quoted outside it. */
    channelKind: text('channel_kind').notNull().default('unknown'),
    /** The question as asked (cut to the question limit), to quote in a breach alert. */
    text: text('text').notNull().default(''),
    /** open | in_progress | resolved | reopened */
    status: text('status').notNull().default('open'),
    takenBy: text('taken_by'),
    takenAt: timestamp('taken_at', { withTimezone: true }),
    /** The first reply in the thread by a person other than the asker (never the bot). */
    firstResponseAt: timestamp('first_response_at', { withTimezone: true }),
    firstResponseBy: text('first_response_by'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedBy: text('resolved_by'),
    /** When the first response is due: created_at plus the channel's SLA at the time. */
    slaDueAt: timestamp('sla_due_at', { withTimezone: true }).notNull(),
    breachedAt: timestamp('breached_at', { withTimezone: true }),
    /** Where the breach alert was posted, to update it when someone takes the request. */
    alertChannelId: text('alert_channel_id'),
    alertTs: text('alert_ts'),
    /** The bot's answer in the thread (the card with status and owner, updated in place). */
    replyTs: text('reply_ts'),
    /** The question row the bot's answer links to (absent when automatic answers are off). */
    questionId: uuid('question_id').references(() => questions.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    /** One request per thread, however many replicas or retries see its first message. */
    uniqueIndex('requests_thread_unique').on(table.teamId, table.channelId, table.rootTs),
    /** Reactions on the bot's reply find their request. */
    index('requests_reply_idx').on(table.channelId, table.replyTs),
    /** The SLA scan: requests nobody answered and not yet alerted. */
    index('requests_sla_due_idx')
      .on(table.slaDueAt)
      .where(sql`${table.firstResponseAt} is null and ${table.breachedAt} is null`),
    index('requests_channel_status_idx').on(table.channelId, table.status, table.createdAt),
    index('requests_asker_idx').on(table.askerId, table.createdAt),
    index('requests_taken_by_idx').on(table.takenBy, table.status),
  ],
);
