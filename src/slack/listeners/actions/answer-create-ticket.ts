import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { noticeCard } from '../../blocks/index.js';
import type { SlackDeps } from '../../deps.js';

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

/** "Create ticket" on an answer card. */
export function answerCreateTicketCallback(_deps: SlackDeps) {
  return async ({ ack, respond }: ButtonArgs): Promise<void> => {
    await ack();
    await respond({
      replace_original: false,
      response_type: 'ephemeral',
      ...noticeCard('Tickets are coming soon: for now, forward this to #support.', ':ticket:'),
    });
  };
}
