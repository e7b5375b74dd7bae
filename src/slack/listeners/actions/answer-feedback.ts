import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { FeedbackKind } from '../../../support/types.js';
import { feedbackCard, noticeCard } from '../../blocks/index.js';
import type { SlackDeps } from '../../deps.js';
import { requestOfQuestion } from '../../support-channel.js';
import { isFirstDelivery } from '../middleware/first-delivery.js';

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

/** "Solved" / "Not helpful": stores the click and replaces the card with a thank-you that keeps the sources. */
export function answerFeedbackCallback(deps: SlackDeps, kind: FeedbackKind) {
  return async ({ ack, action, body, respond, context, logger, client }: ButtonArgs): Promise<void> => {
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
      const request = await requestOfQuestion(deps, questionId);
      if (request && deps.requests) {
        // A request's card is seen by the whole channel: it stays, and shows the new status instead.
        const tell = (mrkdwn: string, emoji: string) =>
          respond({ replace_original: false, response_type: 'ephemeral', ...noticeCard(mrkdwn, emoji) });
        if (kind === 'not_helpful') {
          await tell(
            body.user.id === request.askerId
              ? 'Thanks for saying so. Click *I need a human* and a responder will help in this thread.'
              : 'Thanks, noted.',
            ':pray:',
          );
          return;
        }
        const outcome = await deps.requests.resolve(request.id, body.user.id, 'button', { askerOnly: true });
        if (outcome.kind === 'not_allowed')
          await tell(
            'Only the person who asked can mark it solved; react with ✅ to close it.',
            ':information_source:',
          );
        else if (outcome.kind === 'resolved') await markResolved(client, request.channelId, request.rootTs);
        return;
      }
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

/** Mirrors the status on the root message: ✅ from deskhand (already there, or the message gone: no matter). */
async function markResolved(client: WebClient, channel: string, timestamp: string): Promise<void> {
  try {
    await client.reactions.add({ channel, timestamp, name: 'white_check_mark' });
  } catch {
    // The emoji only mirrors the stored status.
  }
}
