import type { AppConfig } from '../config/env.js';
import type { Database } from '../db/client.js';
import { DrizzleChannelSettingsStore } from '../db/repositories/channel-settings-store.js';
import { ChannelSettingsService } from '../support/channel-settings/index.js';

/** Per-channel settings of support channels, with the environment's defaults. */
export function buildChannelSettings(config: AppConfig, database: Database): ChannelSettingsService {
  return new ChannelSettingsService({
    store: new DrizzleChannelSettingsStore(database.db),
    defaults: {
      supportChannels: config.supportChannels,
      slaMinutes: config.firstResponseSlaMinutes,
      alertChannel: config.alertChannel,
      admins: config.supportAdmins,
    },
  });
}
