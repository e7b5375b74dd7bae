import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { noticeCard } from '../../blocks/index.js';
import type { SlackDeps } from '../../deps.js';
import { isFirstDelivery } from '../middleware/first-delivery.js';

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

/** "I need a human" on a request's thread card: the asker's call for a person; the responders are pinged in the thread. */
export function requestHumanCallback(deps: SlackDeps) {
  return async ({ ack, body, action, respond, context }: ButtonArgs): Promise<void> => {
    await ack();
    if (!(await isFirstDelivery(context))) return;
    const tell = (mrkdwn: string, emoji: string) =>
      respond({ response_type: 'ephemeral', replace_original: false, ...noticeCard(mrkdwn, emoji) });
    const requestId = Number(action.value);
    if (!deps.requests || !Number.isSafeInteger(requestId)) {
      await tell('This request is no longer tracked.', ':grey_question:');
      return;
    }
    const outcome = await deps.requests.requestHuman(requestId, body.user.id);
    if (outcome.kind === 'not_asker') {
      await tell(
        'Only the person who asked can call for a human. To help, reply in the thread.',
        ':information_source:',
      );
    } else if (outcome.kind === 'not_found') {
      await tell('This request is no longer tracked.', ':grey_question:');
    }
  };
}
