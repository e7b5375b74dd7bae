import { sql } from 'drizzle-orm';
import { bigserial, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { questions } from './questions.js';

/**
 * Tickets, and the outbox that files them: a row is written `pending` first, and only turns
 * `created` once the ticket desk confirms. `local` when no desk is configured; `failed` with a
 * reason after the last attempt.
 */
export const tickets = pgTable(
  'tickets',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** One ticket per question however often it is asked for (double clicks, resubmitted modals, retries). */
    idempotencyKey: text('idempotency_key').notNull(),
    questionId: uuid('question_id').references(() => questions.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** pending | created | failed | local */
    status: text('status').notNull().default('pending'),
    /** asked | no_answer | urgent */
    reason: text('reason').notNull().default('asked'),
    subject: text('subject').notNull(),
    message: text('message').notNull(),
    customerEmail: text('customer_email'),
    /** low | normal | high | urgent */
    priority: text('priority').notNull().default('normal'),
    /** email | chat | phone */
    type: text('type').notNull().default('email'),
    requesterId: text('requester_id'),
    desk: text('desk'),
    externalId: text('external_id'),
    /** The number people use for the ticket at the desk (HelpScout's conversation number). */
    externalNumber: text('external_number'),
    externalUrl: text('external_url'),
    /** The desk's own status (active, pending, closed) as its webhooks report it. */
    externalStatus: text('external_status'),
    lastReplyAt: timestamp('last_reply_at', { withTimezone: true }),
    lastReplyText: text('last_reply_text'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    filedAt: timestamp('filed_at', { withTimezone: true }),
    responseUrl: text('response_url'),
    cardChannelId: text('card_channel_id'),
    cardTs: text('card_ts'),
  },
  (table) => [
    uniqueIndex('tickets_idempotency_idx').on(table.idempotencyKey),
    index('tickets_outbox_idx').on(table.nextAttemptAt).where(sql`${table.status} = 'pending'`),
    index('tickets_created_idx').on(table.createdAt),
    index('tickets_external_idx').on(table.externalId),
    /** The digest asks, per question, whether it got a ticket. */
    index('tickets_question_idx').on(table.questionId),
  ],
);
