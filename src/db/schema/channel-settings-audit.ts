import { bigserial, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** One row per saved change of a channel's settings: who, when, and each field's old and new value. */
export const channelSettingsAudit = pgTable(
  'channel_settings_audit',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    teamId: text('team_id').notNull(),
    channelId: text('channel_id').notNull(),
    changedBy: text('changed_by').notNull(),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
    /** `{ field: { old, new } }` for every field that changed. */
    changes: jsonb('changes').$type<Record<string, { old: unknown; new: unknown }>>().notNull(),
  },
  (table) => [index('channel_settings_audit_channel_idx').on(table.teamId, table.channelId, table.changedAt)],
);
