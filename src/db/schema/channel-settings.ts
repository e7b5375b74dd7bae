import {
  bigserial,
  boolean,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/**
 * A support channel's settings as an admin saved them with `/support settings`. A support channel
 * with no row runs on the defaults (SUPPORT_CHANNELS, FIRST_RESPONSE_SLA_MINUTES, ALERT_CHANNEL).
 */
export const channelSettings = pgTable(
  'channel_settings',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    teamId: text('team_id').notNull(),
    channelId: text('channel_id').notNull(),
    autoAnswer: boolean('auto_answer').notNull().default(true),
    /** Knowledge source names the channel is answered from; null means every source. */
    sources: jsonb('sources').$type<string[] | null>(),
    slaMinutes: integer('sla_minutes').notNull(),
    alertChannel: text('alert_channel'),
    responderUsergroup: text('responder_usergroup'),
    responderUserIds: jsonb('responder_user_ids').$type<string[]>().notNull().default([]),
    questionsOnly: boolean('questions_only').notNull().default(false),
    updatedBy: text('updated_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('channel_settings_channel_unique').on(table.teamId, table.channelId)],
);
