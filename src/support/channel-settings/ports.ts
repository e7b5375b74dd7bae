import type { ChannelSettings, ChannelSettingsValues, SettingsAuditEntry, SettingsChanges } from './types.js';

/** The `channel_settings` table and its audit; implemented with drizzle in src/db/repositories. */
export interface ChannelSettingsStore {
  find(teamId: string, channelId: string): Promise<ChannelSettings | undefined>;
  /** The saved settings of a channel whatever its workspace (channel ids are unique across Slack). */
  findByChannel(channelId: string): Promise<ChannelSettings | undefined>;
  /** Every channel with saved settings (they are support channels too). */
  list(teamId?: string): Promise<ChannelSettings[]>;
  /**
   * Saves the values and, in the same transaction, one audit row with what changed from the row
   * as it stood (or from `defaults` for a channel never saved); two admins saving at once are
   * audited one after the other. Returns the settings and the changes (empty: nothing written).
   */
  save(input: {
    teamId: string;
    channelId: string;
    values: ChannelSettingsValues;
    defaults: ChannelSettingsValues;
    changedBy: string;
    now: Date;
  }): Promise<{ settings: ChannelSettings; changes: SettingsChanges }>;
  audit(teamId: string, channelId: string): Promise<SettingsAuditEntry[]>;
}
