import { bigserial, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { questions } from './questions.js';

/** A click on "Solved" or "Not helpful"; a double click stores one row. */
export const feedback = pgTable(
  'feedback',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    questionId: uuid('question_id')
      .notNull()
      .references(() => questions.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    /** solved | not_helpful */
    kind: text('kind').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('feedback_once_idx').on(table.questionId, table.userId, table.kind),
    index('feedback_created_idx').on(table.createdAt, table.kind),
  ],
);
