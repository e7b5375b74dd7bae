import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { questions } from './questions.js';
import { tickets } from './tickets.js';

/** An urgent-case alert posted to the support channel, with every step after it. */
export const alerts = pgTable(
  'alerts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    questionId: uuid('question_id')
      .notNull()
      .references(() => questions.id, { onDelete: 'cascade' }),
    ticketId: bigint('ticket_id', { mode: 'number' }).references(() => tickets.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    channelId: text('channel_id').notNull(),
    messageTs: text('message_ts'),
    urgency: text('urgency').notNull(),
    category: text('category').notNull(),
    takenBy: text('taken_by'),
    takenAt: timestamp('taken_at', { withTimezone: true }),
    escalatedAt: timestamp('escalated_at', { withTimezone: true }),
  },
  (table) => [
    index('alerts_created_idx').on(table.createdAt),
    /** One alert per question, however often the question is handled. */
    uniqueIndex('alerts_question_unique').on(table.questionId),
    /** The escalation worker's scan: alerts nobody took or escalated yet. */
    index('alerts_open_idx')
      .on(table.createdAt)
      .where(sql`${table.takenBy} is null and ${table.escalatedAt} is null`),
  ],
);
