import type { WebClient } from '@slack/web-api';
import type { CardMessage } from './blocks/index.js';

/** Where a card for one person landed; `lost` when Slack took it nowhere (logged as an error). */
export type ShownWhere = 'in_place' | 'ephemeral' | 'dm' | 'lost';

/** Counts where answer and ticket cards landed (`/metrics`): fallbacks mean Slack is refusing posts. */
export interface CardsShown {
  shown(where: ShownWhere): void;
}

interface Logger {
  info(message: string): void;
  error(message: string): void;
}

/**
 * Shows `message` to the asker: where it belongs (`inPlace`: the card they clicked or the command's
 * "Looking it up…", through the response_url; a mention's thread) when Slack takes it there, else
 * privately in the channel, else in a DM from the bot, both seen by the asker alone. An answer or a
 * ticket the asker never sees is as good as lost, however well it was stored.
 */
export async function showToAsker(
  client: WebClient,
  logger: Logger,
  asker: { userId: string; channelId?: string },
  message: CardMessage,
  inPlace?: (message: CardMessage) => Promise<boolean>,
): Promise<ShownWhere> {
  if (inPlace && (await inPlace(message))) return 'in_place';
  if (asker.channelId) {
    try {
      await client.chat.postEphemeral({ channel: asker.channelId, user: asker.userId, ...message });
      return 'ephemeral';
    } catch (error) {
      logger.info(`card not shown in the channel (${(error as Error).message}); sending a DM`);
    }
  }
  try {
    await client.chat.postMessage({ channel: asker.userId, ...message, unfurl_links: false });
    return 'dm';
  } catch (error) {
    logger.error(`the card could not reach ${asker.userId}: ${(error as Error).message}`);
    return 'lost';
  }
}

/**
 * `inPlace` for Bolt's respond(): replaces the original (the command's "Looking it up…", the card
 * clicked) and says whether Slack took it, after respond's own retries.
 */
export function replacingWith(
  respond: (message: Record<string, unknown>) => Promise<unknown>,
  logger: Logger,
): (message: CardMessage) => Promise<boolean> {
  return async (message) => {
    try {
      await respond({ response_type: 'ephemeral', replace_original: true, ...message });
      return true;
    } catch (error) {
      logger.info(`response_url did not take the card: ${(error as Error).message}`);
      return false;
    }
  };
}

/**
 * `inPlace` for an answer in a thread (a mention): posts it there, and says whether Slack took it
 * after the WebClient's own retries.
 */
export function postingInThread(
  client: WebClient,
  where: { channel: string; threadTs: string },
  logger: Logger,
): (message: CardMessage) => Promise<boolean> {
  return async (message) => {
    try {
      await client.chat.postMessage({
        channel: where.channel,
        thread_ts: where.threadTs,
        ...message,
        unfurl_links: false,
      });
      return true;
    } catch (error) {
      logger.info(`the thread did not take the card: ${(error as Error).message}`);
      return false;
    }
  };
}
