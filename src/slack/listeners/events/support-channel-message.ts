import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';
import { openRequestFromMessage, personMessageOf, replyInRequestThread } from '../../support-channel.js';
import { isFirstDelivery } from '../middleware/first-delivery.js';

type MessageArgs = AllMiddlewareArgs & SlackEventMiddlewareArgs<'message'>;

/**
 * A message in a channel (`message.channels`, `message.groups`): in a support channel, a new
 * top-level message by a person becomes a request answered in its thread, and a reply in the
 * thread is a follow-up or a response. Bots, deskhand's own echo, edits and joins change nothing.
 */
export function supportChannelMessageCallback(deps: SlackDeps) {
  return async ({ event, client, context, body }: MessageArgs): Promise<void> => {
    if (!deps.requests) return;
    const message = personMessageOf(event, context.botUserId);
    if (!message) return;
    if (!(await deps.requests.settingsFor(message.channelId))) return;
    if (!(await isFirstDelivery(context))) return;
    const teamId = context.teamId ?? body.team_id ?? '';
    if (message.threadTs) {
      await replyInRequestThread(deps, client, teamId, { ...message, threadTs: message.threadTs });
    } else {
      await openRequestFromMessage(deps, client, teamId, message);
    }
  };
}
