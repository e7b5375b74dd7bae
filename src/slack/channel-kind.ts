import type { WebClient } from '@slack/web-api';
import type { ChannelKind } from '../support/types.js';
import { ExpiringLookups, type Found } from './expiring-lookups.js';

/** How long a channel's kind is trusted: channels can be made private (or public) later. */
const KNOWN_TTL_MS = 10 * 60_000;
/**
 * How long "could not tell" is kept. A private channel the bot was not added to is hidden from it
 * (`channel_not_found`) while `/support` still works there: without this, every question from it
 * would ask Slack again, and conversations.info's rate limit would soon hold answers up.
 */
const UNKNOWN_TTL_MS = 60_000;
const kinds = new ExpiringLookups<ChannelKind>(5000);

/**
 * Whether a channel is public, private or a DM, asked of Slack once per channel and workspace for
 * a while (questions arriving together share one call): text asked anywhere but a public channel
 * must never be posted to a channel digest. Never throws: what Slack will not say is `unknown`,
 * which everything treats as private.
 */
export function channelKindOf(client: WebClient, channelId: string | undefined): Promise<ChannelKind> {
  if (!channelId) return Promise.resolve('unknown');
  if (channelId.startsWith('D')) return Promise.resolve('im');
  // Per workspace (its client's token): a channel id says nothing about another workspace's channel.
  return kinds.get(`${client.token ?? ''}:${channelId}`, () => askSlack(client, channelId));
}

async function askSlack(client: WebClient, channelId: string): Promise<Found<ChannelKind>> {
  try {
    const { channel } = await client.conversations.info({ channel: channelId });
    const kind = channel?.is_im
      ? 'im'
      : channel?.is_mpim
        ? 'mpim'
        : channel?.is_private
          ? 'private'
          : 'public';
    return { value: kind, keepMs: KNOWN_TTL_MS };
  } catch {
    // Unknown counts as private: better to leave a question out of a digest than to leak it.
    return { value: 'unknown', keepMs: UNKNOWN_TTL_MS };
  }
}
