import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, real, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { RankedHit } from '../../support/types.js';

/** One row per question asked, whatever the way in. The id is made by the app so a question can be answered before it is stored. */
export const questions = pgTable(
  'questions',
  {
    id: uuid('id').primaryKey(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** slash | shortcut | mention | dm | cli | mcp (an AI agent through POST /mcp) */
    entryPoint: text('entry_point').notNull(),
    text: text('text').notNull(),
    textTruncated: boolean('text_truncated').notNull().default(false),
    /** Lowercased, stop words removed, sorted terms: groups near-duplicates in the digest. */
    fingerprint: text('fingerprint').notNull().default(''),
    askerId: text('asker_id').notNull(),
    teamId: text('team_id'),
    channelId: text('channel_id'),
    /** public | private | im | mpim | unknown: private text never reaches a channel digest. */
    channelKind: text('channel_kind').notNull().default('unknown'),
    threadTs: text('thread_ts'),
    messageTs: text('message_ts'),
    permalink: text('permalink'),
    responseUrl: text('response_url'),
    parentQuestionId: uuid('parent_question_id'),
    /** low | normal | high */
    urgency: text('urgency').notNull().default('normal'),
    category: text('category').notNull().default('general'),
    /** received | answered | failed */
    status: text('status').notNull().default('received'),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    answerMs: integer('answer_ms'),
    /** Whether a good answer was found (best relevance over the threshold). */
    found: boolean('found'),
    topScore: real('top_score'),
    hitCount: integer('hit_count'),
    /** The hits the answer card showed, so later cards (thanks, ticket) can show them again without a new lookup. */
    hits: jsonb('hits').$type<RankedHit[]>(),
    /** Where the answer card was posted, to update it later (ticket status, feedback). */
    cardChannelId: text('card_channel_id'),
    cardTs: text('card_ts'),
  },
  (table) => [
    index('questions_created_at_idx').on(table.createdAt),
    index('questions_gaps_idx').on(table.createdAt, table.fingerprint).where(sql`${table.found} = false`),
    index('questions_asker_created_idx').on(table.askerId, table.createdAt),
    /** Follow-ups find the question that started a thread. */
    index('questions_thread_idx').on(table.channelId, table.threadTs),
  ],
);
