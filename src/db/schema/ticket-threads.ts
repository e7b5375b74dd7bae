import { bigint, bigserial, index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { tickets } from './tickets.js';

/**
 * A ticket filed from a Slack thread: the thread and the ticket stay in step both ways. Replies in
 * the thread after `after_ts` (the last message the ticket was filed with) go to the desk.
 */
export const ticketThreads = pgTable(
  'ticket_threads',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    teamId: text('team_id').notNull(),
    ticketId: bigint('ticket_id', { mode: 'number' })
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    channelId: text('channel_id').notNull(),
    threadTs: text('thread_ts').notNull(),
    /** The person who started the thread: their replies are the customer's, anyone else's are notes. */
    askerId: text('asker_id').notNull(),
    afterTs: text('after_ts').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('ticket_threads_ticket_unique').on(table.ticketId),
    index('ticket_threads_thread_idx').on(table.channelId, table.threadTs),
  ],
);
