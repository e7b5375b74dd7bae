import { and, asc, eq } from 'drizzle-orm';
import { diffSettings } from '../../support/channel-settings/index.js';
import type { ChannelSettingsStore } from '../../support/channel-settings/ports.js';
import type {
  ChannelSettings,
  ChannelSettingsValues,
  SettingsAuditEntry,
  SettingsChanges,
} from '../../support/channel-settings/types.js';
import type { Db } from '../client.js';
import { channelSettings, channelSettingsAudit } from '../schema/index.js';

type SettingsRow = typeof channelSettings.$inferSelect;

/** `channel_settings` and `channel_settings_audit`, saved together in one transaction. */
export class DrizzleChannelSettingsStore implements ChannelSettingsStore {
  constructor(private readonly db: Db) {}

  async find(teamId: string, channelId: string): Promise<ChannelSettings | undefined> {
    const [row] = await this.db
      .select()
      .from(channelSettings)
      .where(and(eq(channelSettings.teamId, teamId), eq(channelSettings.channelId, channelId)))
      .limit(1);
    return row ? toSettings(row) : undefined;
  }

  async findByChannel(channelId: string): Promise<ChannelSettings | undefined> {
    const [row] = await this.db
      .select()
      .from(channelSettings)
      .where(eq(channelSettings.channelId, channelId))
      .orderBy(asc(channelSettings.id))
      .limit(1);
    return row ? toSettings(row) : undefined;
  }

  async list(teamId?: string): Promise<ChannelSettings[]> {
    const rows = await this.db
      .select()
      .from(channelSettings)
      .where(teamId ? eq(channelSettings.teamId, teamId) : undefined)
      .orderBy(asc(channelSettings.channelId));
    return rows.map(toSettings);
  }

  async save(input: {
    teamId: string;
    channelId: string;
    values: ChannelSettingsValues;
    defaults: ChannelSettingsValues;
    changedBy: string;
    now: Date;
  }): Promise<{ settings: ChannelSettings; changes: SettingsChanges }> {
    return this.db.transaction(async (tx) => {
      const where = and(
        eq(channelSettings.teamId, input.teamId),
        eq(channelSettings.channelId, input.channelId),
      );
      // The first save of a channel inserts its row; the lock then orders concurrent saves.
      await tx
        .insert(channelSettings)
        .values({ teamId: input.teamId, channelId: input.channelId, ...columns(input.defaults) })
        .onConflictDoNothing({ target: [channelSettings.teamId, channelSettings.channelId] });
      const [current] = await tx.select().from(channelSettings).where(where).for('update');
      if (!current) throw new Error(`channel settings of ${input.channelId} were neither inserted nor found`);
      const before = current.updatedBy === null ? input.defaults : toSettings(current);
      const changes = diffSettings(before, input.values);
      if (Object.keys(changes).length === 0 && current.updatedBy !== null) {
        return { settings: toSettings(current), changes };
      }
      const [row] = await tx
        .update(channelSettings)
        .set({ ...columns(input.values), updatedBy: input.changedBy, updatedAt: input.now })
        .where(where)
        .returning();
      if (Object.keys(changes).length > 0) {
        await tx.insert(channelSettingsAudit).values({
          teamId: input.teamId,
          channelId: input.channelId,
          changedBy: input.changedBy,
          changedAt: input.now,
          changes,
        });
      }
      return { settings: toSettings(row as SettingsRow), changes };
    });
  }

  async audit(teamId: string, channelId: string): Promise<SettingsAuditEntry[]> {
    const rows = await this.db
      .select()
      .from(channelSettingsAudit)
      .where(and(eq(channelSettingsAudit.teamId, teamId), eq(channelSettingsAudit.channelId, channelId)))
      .orderBy(asc(channelSettingsAudit.changedAt), asc(channelSettingsAudit.id));
    return rows.map((row) => ({
      teamId: row.teamId,
      channelId: row.channelId,
      changedBy: row.changedBy,
      changedAt: row.changedAt,
      changes: row.changes,
    }));
  }
}

function columns(values: ChannelSettingsValues) {
  return {
    autoAnswer: values.autoAnswer,
    sources: values.sources ?? null,
    slaMinutes: values.slaMinutes,
    alertChannel: values.alertChannel ?? null,
    responderUsergroup: values.responderUsergroup ?? null,
    responderUserIds: values.responderUserIds,
    questionsOnly: values.questionsOnly,
  };
}

function toSettings(row: SettingsRow): ChannelSettings {
  return {
    teamId: row.teamId,
    channelId: row.channelId,
    saved: row.updatedBy !== null,
    autoAnswer: row.autoAnswer,
    ...(row.sources ? { sources: row.sources } : {}),
    slaMinutes: row.slaMinutes,
    ...(row.alertChannel ? { alertChannel: row.alertChannel } : {}),
    ...(row.responderUsergroup ? { responderUsergroup: row.responderUsergroup } : {}),
    responderUserIds: row.responderUserIds,
    questionsOnly: row.questionsOnly,
    ...(row.updatedBy ? { updatedBy: row.updatedBy } : {}),
    updatedAt: row.updatedAt,
  };
}
