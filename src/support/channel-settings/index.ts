export {
  type ChannelSettingsDefaults,
  ChannelSettingsService,
  type ChannelSettingsServiceOptions,
  diffSettings,
  effectiveSettings,
  SLA_MINUTES_MAX,
  slaMinutesProblem,
} from './channel-settings-service.js';
export type { ChannelSettingsStore } from './ports.js';
export type {
  ChannelSettings,
  ChannelSettingsValues,
  EffectiveChannelSettings,
  SettingsAuditEntry,
  SettingsChanges,
} from './types.js';
