import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { ChatMessage, ReplyAudit } from '../../support/replies/ports.js';
import type { Reply } from '../../support/types.js';

/**
 * One row per answered question: the reply the card showed, the passages it could cite, and when
 * a language model was asked, the prompt, the model's own text and why it was or was not used.
 * No foreign key: an audit written while the question's row waits in the write buffer must not be lost.
 */
export const replyAudits = pgTable(
  'reply_audits',
  {
    questionId: uuid('question_id').primaryKey(),
    teamId: text('team_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** extractive | llm | none */
    method: text('method').notNull(),
    reply: jsonb('reply').$type<Reply>(),
    passages: jsonb('passages').$type<ReplyAudit['passages']>().notNull(),
    model: text('model'),
    prompt: jsonb('prompt').$type<ChatMessage[]>(),
    modelText: text('model_text'),
    /** used | uncited | unknown_citation | unsupported | deadline | error | malformed | private | not_found */
    llmOutcome: text('llm_outcome'),
    error: text('error'),
    tookMs: integer('took_ms').notNull(),
  },
  (table) => [index('reply_audits_created_idx').on(table.createdAt)],
);
