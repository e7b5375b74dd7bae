import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { tickets } from './tickets.js';

/**
 * The outbox of what crosses between a Slack thread and its ticket: a Slack reply going to the
 * desk (`to_desk`), or an agent's reply going to the thread (`to_slack`). One row per source
 * message (its idempotency key), so a retried event or webhook adds nothing twice; `pending`
 * until the other side confirms, then `sent`.
 */
export const threadAdditions = pgTable(
  'thread_additions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    teamId: text('team_id').notNull(),
    /** `slack:<channel>:<ts>` or `helpscout:<conversation>:<thread>`. */
    idempotencyKey: text('idempotency_key').notNull(),
    ticketId: bigint('ticket_id', { mode: 'number' })
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    /** to_desk | to_slack */
    direction: text('direction').notNull(),
    /** customer | note (to_desk) or reply (to_slack) */
    kind: text('kind').notNull(),
    channelId: text('channel_id').notNull(),
    threadTs: text('thread_ts').notNull(),
    /** to_desk: the Slack message it came from; to_slack: the message deskhand posted. */
    slackTs: text('slack_ts'),
    /** to_desk: the desk thread deskhand created; to_slack: the desk thread it came from. */
    externalThreadId: text('external_thread_id'),
    authorId: text('author_id'),
    authorName: text('author_name'),
    text: text('text').notNull(),
    /** pending | sent | failed */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('thread_additions_key_unique').on(table.idempotencyKey),
    index('thread_additions_outbox_idx').on(table.nextAttemptAt).where(sql`${table.status} = 'pending'`),
    index('thread_additions_slack_idx').on(table.channelId, table.slackTs),
    index('thread_additions_external_idx').on(table.ticketId, table.externalThreadId),
  ],
);
