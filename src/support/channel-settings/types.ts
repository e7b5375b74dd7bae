/** What an admin can set for one support channel. */
export interface ChannelSettingsValues {
  /** Whether deskhand answers new requests in the thread on its own. */
  autoAnswer: boolean;
  /** Knowledge source names to answer from; undefined means every source. */
  sources?: string[];
  /** First-response SLA in minutes. */
  slaMinutes: number;
  /** Where this channel's SLA breaches and urgent requests are alerted; undefined: ALERT_CHANNEL. */
  alertChannel?: string;
  /** A Slack user group (S…) whose members are responders. */
  responderUsergroup?: string;
  /** Slack user ids of responders. */
  responderUserIds: string[];
  /** Answer only messages that look like questions. */
  questionsOnly: boolean;
}

/** A channel's settings as stored, or the defaults when nobody saved any. */
export interface ChannelSettings extends ChannelSettingsValues {
  teamId: string;
  channelId: string;
  /** Whether an admin saved these (false: defaults from the environment). */
  saved: boolean;
  updatedBy?: string;
  updatedAt?: Date;
}

/**
 * What the requests workflow reads about a channel (the `ChannelSettingsSource` shape):
 * responders already resolved to users (with admins standing in when none are set).
 */
export interface EffectiveChannelSettings {
  autoAnswer: boolean;
  slaMinutes: number;
  alertChannel?: string;
  responders: string[];
  usergroup?: string;
  questionsOnly: boolean;
  sources?: string[];
}

/** One field's change, as the audit keeps it. */
export type SettingsChanges = Record<string, { old: unknown; new: unknown }>;

/** One saved change. */
export interface SettingsAuditEntry {
  teamId: string;
  channelId: string;
  changedBy: string;
  changedAt: Date;
  changes: SettingsChanges;
}
