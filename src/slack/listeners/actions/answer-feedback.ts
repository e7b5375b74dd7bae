import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { FeedbackKind } from '../../../support/types.js';
import { feedbackCard, noticeCard } from '../../blocks/index.js';
import type { SlackDeps } from '../../deps.js';
import { isFirstDelivery } from '../middleware/first-delivery.js';

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

/** "Solved" / "Not helpful": stores the click and replaces the card with a thank-you that keeps the sources. */
export function answerFeedbackCallback(deps: SlackDeps, kind: FeedbackKind) {
  return async ({ ack, action, body, respond, context, logger }: ButtonArgs): Promise<void> => {
    await ack();
    if (!(await isFirstDelivery(context))) return;
    const questionId = action.value ?? '';
    try {
      const answer = await deps.support.findAnswer(questionId, context.teamId);
      if (!answer) {
        await respond({
          replace_original: false,
          response_type: 'ephemeral',
          ...noticeCard('That question is no longer available.', ':grey_question:'),
        });
        return;
      }
      await deps.support.recordFeedback(questionId, body.user.id, kind);
      await respond({
        replace_original: true,
        response_type: 'ephemeral',
        ...feedbackCard(answer, kind, { ticketsEnabled: deps.settings.ticketsEnabled }),
      });
    } catch (error) {
      logger.error(`recording ${kind} failed: ${(error as Error).message}`);
      await respond({
        replace_original: false,
        response_type: 'ephemeral',
        ...noticeCard('Could not record that just now — please try again.', ':warning:'),
      });
    }
  };
}
