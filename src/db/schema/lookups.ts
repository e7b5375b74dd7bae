import { bigserial, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { questions } from './questions.js';

/** One row per knowledge source searched for a question. */
export const lookups = pgTable(
  'lookups',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    questionId: uuid('question_id')
      .notNull()
      .references(() => questions.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    source: text('source').notNull(),
    /** ok | error | timeout | unavailable */
    status: text('status').notNull(),
    hits: integer('hits').notNull().default(0),
    latencyMs: integer('latency_ms').notNull(),
    error: text('error'),
  },
  (table) => [
    index('lookups_question_idx').on(table.questionId),
    index('lookups_created_source_idx').on(table.createdAt, table.source),
  ],
);
