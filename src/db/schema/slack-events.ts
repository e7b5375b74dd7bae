import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Delivery keys of Slack requests already handled, so a retried delivery is answered once. */
export const slackEvents = pgTable('slack_events', {
  key: text('key').primaryKey(),
  kind: text('kind').notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  retryNum: integer('retry_num').notNull().default(0),
});
