import { bigint, bigserial, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { requests } from './requests.js';

/** Every change to a request, with who made it and when: the request's history. */
export const requestEvents = pgTable(
  'request_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    requestId: bigint('request_id', { mode: 'number' })
      .notNull()
      .references(() => requests.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** The Slack user who made the change; null for deskhand itself (the SLA scan). */
    actorId: text('actor_id'),
    /** created | taken | released | resolved | reopened | first_response | follow_up | human_requested | breached */
    kind: text('kind').notNull(),
    /** button | reaction | reply | message | sla | helpscout … */
    via: text('via'),
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    detail: jsonb('detail').$type<Record<string, unknown>>(),
  },
  (table) => [index('request_events_request_idx').on(table.requestId, table.at)],
);
