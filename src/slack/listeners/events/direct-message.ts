import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { answerQuestion, questionTextOf } from '../../answer-question.js';
import type { SlackDeps } from '../../deps.js';
import { isFirstDelivery } from '../middleware/first-delivery.js';

type MessageArgs = AllMiddlewareArgs & SlackEventMiddlewareArgs<'message'>;

/**
 * A message in a DM with deskhand (`message.im`): answered in the DM. Only new messages people
 * write count: deskhand's own, other bots', edits, deletions, joins and every other subtype are ignored.
 */
export function directMessageCallback(deps: SlackDeps) {
  return async ({ event, client, context }: MessageArgs): Promise<void> => {
    if (event.channel_type !== 'im' || event.subtype !== undefined) return;
    if (event.bot_id || !event.user || event.user === context.botUserId) return;
    if (!(await isFirstDelivery(context))) return;
    const text = questionTextOf(event.text, context.botUserId);
    if (!text) return;
    const { card } = await answerQuestion(deps, client, {
      text,
      entryPoint: 'dm',
      askerId: event.user,
      teamId: context.teamId ?? event.team,
      channelId: event.channel,
      channelKind: 'im',
      threadTs: event.thread_ts,
      messageTs: event.ts,
    });
    try {
      await client.chat.postMessage({
        channel: event.channel,
        ...(event.thread_ts ? { thread_ts: event.thread_ts } : {}),
        ...card,
        unfurl_links: false,
      });
      deps.cardsShown?.shown('in_place');
    } catch (error) {
      // After the WebClient's retries there is nowhere more private to show it than the DM itself:
      // the answer stays stored, and the loss is counted for the operator's alert.
      deps.cardsShown?.shown('lost');
      deps.logger.error(
        { channel: event.channel, err: (error as Error).message },
        'the DM did not take the answer card; the asker has not seen it',
      );
    }
  };
}
