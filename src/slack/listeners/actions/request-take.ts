import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { REACTIONS } from '../../../support/requests/index.js';
import { noticeCard } from '../../blocks/index.js';
import type { SlackDeps } from '../../deps.js';
import { isFirstDelivery } from '../middleware/first-delivery.js';

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

/**
 * "Take it" on a request's thread card or its breach alert: the first responder to click owns the
 * request (the card says so, and deskhand adds 👀 to the root message); anyone else is told why not.
 */
export function requestTakeCallback(deps: SlackDeps) {
  return async ({ ack, body, action, respond, context, client, logger }: ButtonArgs): Promise<void> => {
    await ack();
    if (!(await isFirstDelivery(context))) return;
    const tell = (mrkdwn: string, emoji: string) =>
      respond({ response_type: 'ephemeral', replace_original: false, ...noticeCard(mrkdwn, emoji) });
    const requestId = Number(action.value);
    if (!deps.requests || !Number.isSafeInteger(requestId)) {
      await tell('This request is no longer tracked.', ':grey_question:');
      return;
    }
    const outcome = await deps.requests.take(requestId, body.user.id, 'button');
    switch (outcome.kind) {
      case 'taken':
        try {
          await client.reactions.add({
            channel: outcome.request.channelId,
            timestamp: outcome.request.rootTs,
            name: REACTIONS.taken,
          });
        } catch (error) {
          // The emoji only mirrors the status; already_reacted or a deleted message changes nothing.
          logger.debug(`could not add the taken emoji: ${(error as Error).message}`);
        }
        return;
      case 'already_taken':
        await tell(
          outcome.takenBy === body.user.id
            ? 'You have already taken this one.'
            : `Already taken by <@${outcome.takenBy}>.`,
          ':raised_hand:',
        );
        return;
      case 'not_responder':
        await tell('Only this channel’s responders can take requests.', ':no_entry_sign:');
        return;
      case 'resolved':
        await tell('This request is already resolved.', ':white_check_mark:');
        return;
      case 'not_found':
        await tell('This request is no longer tracked.', ':grey_question:');
    }
  };
}
