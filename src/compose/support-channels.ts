import { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/env.js';
import { ConfigError } from '../config/errors.js';
import type { Database } from '../db/client.js';
import { DrizzleRequestStore } from '../db/repositories/request-store.js';
import { playgroundChannelCheck } from '../playground/server.js';
import { channelsOf, checkChannels } from '../slack/channel-check.js';
import { SlackGroupMembers, SlackRequestNotifier } from '../slack/request-notifier.js';
import {
  type ChannelSettingsSource,
  EnvChannelSettings,
  RequestService,
  SlaWorker,
} from '../support/requests/index.js';
import type { Answer } from '../support/types.js';

export interface SupportChannelsOptions {
  config: AppConfig;
  database: Database;
  logger: Logger;
  /** The Bolt app's client, once the app exists. */
  client: () => WebClient | undefined;
  findAnswer: (questionId: string) => Promise<Answer | undefined>;
  ticketsEnabled: boolean;
  /** Per-channel settings; the environment's defaults when not given (until `channel_settings` backs it). */
  settings?: ChannelSettingsSource;
  /** How often every replica scans for first-response SLA breaches. */
  slaScanIntervalMs?: number;
}

export interface SupportChannels {
  requests: RequestService;
  /** The SLA scan; tests drive it with `runOnce()`. */
  slaWorker: SlaWorker;
}

/** Support-channel requests: their store, settings, Slack notifier and the SLA scan every replica runs. */
export function buildSupportChannels(options: SupportChannelsOptions): SupportChannels {
  const { config, logger } = options;
  const settings =
    options.settings ??
    new EnvChannelSettings({
      channels: config.supportChannels,
      slaMinutes: config.firstResponseSlaMinutes,
      alertChannel: config.alertChannel,
    });
  const requests = new RequestService({
    store: new DrizzleRequestStore(options.database.db),
    settings,
    notifier: new SlackRequestNotifier({
      client: options.client,
      findAnswer: options.findAnswer,
      ticketsEnabled: options.ticketsEnabled,
      slaMinutesOf: async (channelId) => (await settings.settingsFor(channelId))?.slaMinutes,
      logger,
    }),
    groups: new SlackGroupMembers(options.client),
    supportAdmins: config.supportAdmins,
    logger,
    textMaxChars: config.questionMaxChars,
  });
  const slaWorker = new SlaWorker({ requests, logger, intervalMs: options.slaScanIntervalMs });
  return { requests, slaWorker };
}

/**
 * Fails the start with a ConfigError naming a support channel that does not exist, before anything
 * is opened, so nothing is left to tear down: the playground's own channels, or Slack's. With a
 * token, also starts the check of the channels deskhand posts to (a warning, not awaited).
 */
export async function checkSupportChannelsAtStart(config: AppConfig, logger: Logger): Promise<void> {
  if (config.slack.kind === 'playground') playgroundChannelCheck(config.supportChannels);
  else if (config.slack.kind !== 'oauth') {
    // With OAuth each workspace has its own channels and token: nothing to check before installs.
    const client = startupClient({ botToken: config.slack.botToken, slackApiUrl: config.slackApiUrl });
    await checkSupportChannels(config, client, logger);
    // Not awaited: a warning, which must not hold the start up on Slack's answer.
    void warnAboutPostingChannels(config, client, logger).catch(() => undefined);
  }
}

/**
 * Warns at start about ALERT_CHANNEL and DIGEST_CHANNEL when deskhand cannot post there (a private
 * channel it was not invited to, a wrong id, a DM), so a team learns it now rather than when the
 * first urgent case's alert is lost. Never throws.
 */
export async function warnAboutPostingChannels(
  config: AppConfig,
  client: WebClient,
  logger: Logger,
): Promise<void> {
  const channels = channelsOf(config, ['ALERT_CHANNEL', 'DIGEST_CHANNEL']);
  for (const check of await checkChannels(client, channels)) {
    if (!check.ok) logger.warn(`${check.name.replace(/^slack: /, '')}: ${check.detail}`);
  }
}

/** The bot token's client for the checks made at start, retrying briefly. */
export function startupClient(slack: { botToken: string; slackApiUrl: string }): WebClient {
  return new WebClient(slack.botToken, {
    slackApiUrl: slack.slackApiUrl,
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2000 },
  });
}

/**
 * Checks every channel in SUPPORT_CHANNELS with conversations.info before deskhand starts: one
 * Slack cannot find, or a DM, fails start with a ConfigError naming it; a channel deskhand is not
 * a member of is a warning (its messages will not arrive until someone invites deskhand).
 */
export async function checkSupportChannels(
  config: AppConfig,
  client: WebClient,
  logger: Logger,
): Promise<void> {
  const channels = channelsOf(config, ['SUPPORT_CHANNELS']);
  for (const [index, check] of (await checkChannels(client, channels)).entries()) {
    const id = channels[index]?.id;
    if (check.state === 'not_found')
      throw new ConfigError(
        `SUPPORT_CHANNELS names ${id}, a channel Slack does not know or deskhand cannot see (channel_not_found): check the id, or for a private channel invite deskhand first`,
      );
    if (check.state === 'direct_message')
      throw new ConfigError(`SUPPORT_CHANNELS names ${id}, which is a direct message, not a channel`);
    if (check.state === 'refused')
      logger.warn({ channel: id, err: check.error }, 'could not check a SUPPORT_CHANNELS channel at start');
    if (check.state === 'not_member')
      logger.warn(
        `SUPPORT_CHANNELS: deskhand is not a member of ${check.label} (${id}); invite it there or its messages will not arrive`,
      );
  }
}
