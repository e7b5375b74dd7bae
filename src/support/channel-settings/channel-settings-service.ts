import { type Clock, systemClock } from '../ports.js';
import type { ChannelSettingsSource } from '../requests/ports.js';
import type { ChannelSettings as RequestChannelSettings } from '../requests/types.js';
import type { ChannelSettingsStore } from './ports.js';
import type {
  ChannelSettings,
  ChannelSettingsValues,
  EffectiveChannelSettings,
  SettingsChanges,
} from './types.js';

/** The longest first-response SLA an admin may set: one week. */
export const SLA_MINUTES_MAX = 10_080;

export interface ChannelSettingsDefaults {
  /** SUPPORT_CHANNELS: channel ids that are support channels without any saved settings. */
  supportChannels: readonly string[];
  /** FIRST_RESPONSE_SLA_MINUTES. */
  slaMinutes: number;
  /** ALERT_CHANNEL, used when a channel names none of its own. */
  alertChannel?: string;
  /** SUPPORT_ADMINS: the responders of a channel that names none. */
  admins: readonly string[];
}

export interface ChannelSettingsServiceOptions {
  store: ChannelSettingsStore;
  defaults: ChannelSettingsDefaults;
  clock?: Clock;
}

/**
 * Per-channel settings of support channels: what an admin saved, else the environment's defaults;
 * every save audited with who changed what.
 */
export class ChannelSettingsService implements ChannelSettingsSource {
  private readonly clock: Clock;

  constructor(private readonly options: ChannelSettingsServiceOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** The values a channel has before any admin saved settings for it. */
  get defaults(): ChannelSettingsValues {
    return {
      autoAnswer: true,
      slaMinutes: this.options.defaults.slaMinutes,
      responderUserIds: [],
      questionsOnly: false,
    };
  }

  /** Whether the channel is a support channel: named in SUPPORT_CHANNELS or given settings. */
  async isSupportChannel(teamId: string, channelId: string): Promise<boolean> {
    if (this.options.defaults.supportChannels.includes(channelId)) return true;
    return (await this.options.store.find(teamId, channelId)) !== undefined;
  }

  /** Every support channel of the workspace: SUPPORT_CHANNELS and those with saved settings. */
  async supportChannels(teamId: string): Promise<string[]> {
    const saved = (await this.options.store.list(teamId)).map((settings) => settings.channelId);
    return [...new Set([...this.options.defaults.supportChannels, ...saved])];
  }

  /** The channel's settings: saved ones, or the defaults. */
  async read(teamId: string, channelId: string): Promise<ChannelSettings> {
    const stored = await this.options.store.find(teamId, channelId);
    return stored ?? { teamId, channelId, saved: false, ...this.defaults };
  }

  /** What the requests workflow applies in the channel, responders resolved (admins when none are set). */
  async effective(teamId: string, channelId: string): Promise<EffectiveChannelSettings> {
    return effectiveSettings(await this.read(teamId, channelId), this.options.defaults);
  }

  /**
   * The requests workflow's view of a channel (its `ChannelSettingsSource`): undefined when the
   * channel is not a support channel; responders as saved (the workflow falls back to the admins).
   */
  async settingsFor(channelId: string): Promise<RequestChannelSettings | undefined> {
    // With the database out of reach, SUPPORT_CHANNELS still answer, on their defaults.
    const stored = await this.options.store.findByChannel(channelId).catch(() => undefined);
    if (!stored && !this.options.defaults.supportChannels.includes(channelId)) return undefined;
    const settings = stored ?? { ...this.defaults };
    return {
      channelId,
      autoAnswer: settings.autoAnswer,
      slaMinutes: settings.slaMinutes,
      alertChannel: settings.alertChannel ?? this.options.defaults.alertChannel,
      responders: [...settings.responderUserIds],
      ...(settings.responderUsergroup ? { usergroup: settings.responderUsergroup } : {}),
      questionsOnly: settings.questionsOnly,
      ...(settings.sources ? { sources: [...settings.sources] } : {}),
    };
  }

  /** Saves an admin's settings for a channel, audited; returns them and what changed. */
  async update(
    teamId: string,
    channelId: string,
    values: ChannelSettingsValues,
    changedBy: string,
  ): Promise<{ settings: ChannelSettings; changes: SettingsChanges }> {
    const problem = slaMinutesProblem(String(values.slaMinutes));
    if (problem) throw new RangeError(problem);
    return this.options.store.save({
      teamId,
      channelId,
      values: normalise(values),
      defaults: this.defaults,
      changedBy,
      now: this.clock.now(),
    });
  }
}

/** The effective settings of stored or default ones. */
export function effectiveSettings(
  settings: ChannelSettings,
  defaults: Pick<ChannelSettingsDefaults, 'alertChannel' | 'admins'>,
): EffectiveChannelSettings {
  const named = settings.responderUserIds.length > 0 || settings.responderUsergroup !== undefined;
  return {
    autoAnswer: settings.autoAnswer,
    slaMinutes: settings.slaMinutes,
    alertChannel: settings.alertChannel ?? defaults.alertChannel,
    responders: named ? [...settings.responderUserIds] : [...defaults.admins],
    ...(settings.responderUsergroup ? { usergroup: settings.responderUsergroup } : {}),
    questionsOnly: settings.questionsOnly,
    ...(settings.sources ? { sources: [...settings.sources] } : {}),
  };
}

/** Why a typed SLA is not acceptable (a whole number of minutes from 1 to a week), or undefined. */
export function slaMinutesProblem(text: string): string | undefined {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return 'Please enter a whole number of minutes, such as 30.';
  const minutes = Number(trimmed);
  if (minutes < 1 || minutes > SLA_MINUTES_MAX)
    return `Please enter between 1 and ${SLA_MINUTES_MAX} minutes (one week).`;
  return undefined;
}

/** Field by field, what differs between two sets of values (arrays compared as sets). */
export function diffSettings(before: ChannelSettingsValues, after: ChannelSettingsValues): SettingsChanges {
  const changes: SettingsChanges = {};
  const fields: Array<keyof ChannelSettingsValues> = [
    'autoAnswer',
    'sources',
    'slaMinutes',
    'alertChannel',
    'responderUsergroup',
    'responderUserIds',
    'questionsOnly',
  ];
  for (const field of fields) {
    const old = comparable(before[field]);
    const next = comparable(after[field]);
    if (JSON.stringify(old) !== JSON.stringify(next)) changes[field] = { old, new: next };
  }
  return changes;
}

function comparable(value: unknown): unknown {
  if (Array.isArray(value)) return [...value].sort();
  return value ?? null;
}

function normalise(values: ChannelSettingsValues): ChannelSettingsValues {
  return {
    autoAnswer: values.autoAnswer,
    ...(values.sources ? { sources: [...new Set(values.sources)].sort() } : {}),
    slaMinutes: values.slaMinutes,
    ...(values.alertChannel ? { alertChannel: values.alertChannel } : {}),
    ...(values.responderUsergroup ? { responderUsergroup: values.responderUsergroup } : {}),
    responderUserIds: [...new Set(values.responderUserIds)].sort(),
    questionsOnly: values.questionsOnly,
  };
}
