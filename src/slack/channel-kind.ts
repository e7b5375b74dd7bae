import type { WebClient } from '@slack/web-api';
import type { ChannelKind } from '../support/types.js';

const cache = new Map<string, ChannelKind>();
const CACHE_LIMIT = 5000;

/**
 * Whether a channel is public, private or a DM. Asked of Slack once per channel and workspace: text asked
 * anywhere but a public channel must never be posted to a channel digest.
 */
export async function channelKindOf(client: WebClient, channelId: string | undefined): Promise<ChannelKind> {
  if (!channelId) return 'unknown';
  if (channelId.startsWith('D')) return 'im';
  // Per workspace (its client's token): a channel id says nothing about another workspace's channel.
  const key = `${client.token ?? ''}:${channelId}`;
  const cached = cache.get(key);
  if (cached) return cached;
  try {
    const { channel } = await client.conversations.info({ channel: channelId });
    const kind: ChannelKind = channel?.is_im
      ? 'im'
      : channel?.is_mpim
        ? 'mpim'
        : channel?.is_private
          ? 'private'
          : 'public';
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, kind);
    return kind;
  } catch {
    // Unknown counts as private: better to leave a question out of a digest than to leak it.
    return 'unknown';
  }
}
