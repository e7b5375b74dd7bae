import type { WebClient } from '@slack/web-api';
import type { AppConfig } from '../config/env.js';

/** A channel deskhand is configured to post to (alerts, digests) or to listen in (support channels). */
export interface ConfiguredChannel {
  setting: 'ALERT_CHANNEL' | 'DIGEST_CHANNEL' | 'SUPPORT_CHANNELS';
  id: string;
  /** Whether deskhand must receive the channel's messages (it must then be a member). */
  listens: boolean;
}

export interface ChannelCheck {
  name: string;
  ok: boolean;
  detail: string;
  /** What Slack said of it, for callers that act on it rather than print it. */
  state: 'member' | 'not_member' | 'not_found' | 'direct_message' | 'refused';
  /** `#name` when Slack gave one, else the id. */
  label: string;
  /** Slack's error code, or the error's message, when the check was refused. */
  error?: string;
}

/** The channels the configuration names, in the order people set them. */
export function channelsOf(
  config: Pick<AppConfig, 'alertChannel' | 'digest' | 'supportChannels'>,
  settings: ReadonlyArray<ConfiguredChannel['setting']> = [
    'ALERT_CHANNEL',
    'DIGEST_CHANNEL',
    'SUPPORT_CHANNELS',
  ],
): ConfiguredChannel[] {
  const all: ConfiguredChannel[] = [
    ...(config.alertChannel
      ? [{ setting: 'ALERT_CHANNEL' as const, id: config.alertChannel, listens: false }]
      : []),
    ...(config.digest.channel
      ? [{ setting: 'DIGEST_CHANNEL' as const, id: config.digest.channel, listens: false }]
      : []),
    ...config.supportChannels.map((id) => ({ setting: 'SUPPORT_CHANNELS' as const, id, listens: true })),
  ];
  return all.filter((channel) => settings.includes(channel.setting));
}

/**
 * Each channel as the bot token sees it: a private channel deskhand was not invited to is invisible
 * to it (`channel_not_found`), so what it posts there is lost; a public one it is not in still takes
 * its posts (`chat:write.public`), but a support channel's messages reach it only once it is a member.
 */
export async function checkChannels(
  web: WebClient,
  channels: readonly ConfiguredChannel[],
): Promise<ChannelCheck[]> {
  const checks: ChannelCheck[] = [];
  for (const { setting, id, listens } of channels) {
    const name = `slack: ${setting} ${id}`;
    try {
      const { channel } = await web.conversations.info({ channel: id });
      const label = channel?.name ? `#${channel.name}` : id;
      if (channel?.is_im || channel?.is_mpim) {
        checks.push({
          name,
          label,
          state: 'direct_message',
          ok: false,
          detail: `${label} is a direct message, not a channel`,
        });
      } else if (channel?.is_member === false) {
        checks.push({
          name,
          label,
          state: 'not_member',
          ok: !listens,
          detail: listens
            ? `deskhand is not a member of ${label}: invite it (/invite @deskhand) or its messages will not arrive`
            : `deskhand posts to ${label} without being a member (public, chat:write.public); invite it to follow replies there`,
        });
      } else {
        checks.push({ name, label, state: 'member', ok: true, detail: `${label}: deskhand is a member` });
      }
    } catch (error) {
      const code = (error as { data?: { error?: unknown } }).data?.error;
      const reason = typeof code === 'string' ? code : (error as Error).message;
      checks.push(
        code === 'channel_not_found'
          ? {
              name,
              label: id,
              state: 'not_found',
              ok: false,
              detail: `Slack does not know ${id}, or it is private and deskhand was not invited: check the id, or /invite @deskhand there`,
            }
          : {
              name,
              label: id,
              state: 'refused',
              ok: false,
              error: reason,
              detail: `conversations.info refused: ${reason}`,
            },
      );
    }
  }
  return checks;
}
