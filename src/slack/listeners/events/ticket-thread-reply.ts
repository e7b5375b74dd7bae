import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';
import { isFirstDelivery } from '../middleware/first-delivery.js';

type MessageArgs = AllMiddlewareArgs & SlackEventMiddlewareArgs<'message'>;

/**
 * A person's reply in a thread a ticket was filed from: added to the ticket at the desk (the
 * asker's as the customer's reply, anyone else's as a note). deskhand's own posts, other bots',
 * edits and every other subtype are never sent, so nothing it relayed comes back.
 */
export function ticketThreadReplyCallback(deps: SlackDeps) {
  return async ({ event, client, context, logger }: MessageArgs): Promise<void> => {
    const sync = deps.ticketSync;
    if (!sync || event.subtype !== undefined) return;
    if (event.bot_id || !event.user || event.user === context.botUserId) return;
    if (!event.thread_ts || event.thread_ts === event.ts || !event.text) return;
    let link: Awaited<ReturnType<typeof sync.linkOf>>;
    try {
      link = await sync.linkOf(event.channel, event.thread_ts);
    } catch (error) {
      logger.warn(`could not tell whether a thread has a ticket: ${(error as Error).message}`);
      return;
    }
    if (!link || !(await isFirstDelivery(context))) return;
    const userName = event.user === link.askerId ? undefined : await nameOf(client, event.user);
    try {
      await sync.slackReply({
        channelId: event.channel,
        threadTs: event.thread_ts,
        ts: event.ts,
        userId: event.user,
        userName,
        text: event.text,
      });
    } catch (error) {
      logger.error(`a thread reply could not be queued for its ticket: ${(error as Error).message}`);
    }
  };
}

async function nameOf(client: MessageArgs['client'], userId: string): Promise<string | undefined> {
  try {
    const { user } = await client.users.info({ user: userId });
    return user?.real_name || user?.name || undefined;
  } catch {
    return undefined;
  }
}
