import { bigint, bigserial, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
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
    index('alerts_question_idx').on(table.questionId),
  ],
);
