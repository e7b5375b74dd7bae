import type { ChannelSettingsSource } from './ports.js';
import type { ChannelSettings } from './types.js';

export interface EnvChannelDefaults {
  /** SUPPORT_CHANNELS */
  channels: readonly string[];
  /** FIRST_RESPONSE_SLA_MINUTES */
  slaMinutes: number;
  /** ALERT_CHANNEL */
  alertChannel?: string;
}

/**
 * Settings from the environment alone: every channel in SUPPORT_CHANNELS answers automatically,
 * searches every source, has the default SLA and alerts in ALERT_CHANNEL. The `channel_settings`
 * table overrides these per channel once it exists.
 */
export class EnvChannelSettings implements ChannelSettingsSource {
  private readonly channels: Set<string>;

  constructor(private readonly defaults: EnvChannelDefaults) {
    this.channels = new Set(defaults.channels);
  }

  async settingsFor(channelId: string): Promise<ChannelSettings | undefined> {
    if (!this.channels.has(channelId)) return undefined;
    return defaultChannelSettings(channelId, this.defaults);
  }
}

/** A support channel's settings before anyone edits them. */
export function defaultChannelSettings(channelId: string, defaults: EnvChannelDefaults): ChannelSettings {
  return {
    channelId,
    autoAnswer: true,
    slaMinutes: defaults.slaMinutes,
    alertChannel: defaults.alertChannel,
    responders: [],
    questionsOnly: false,
  };
}
