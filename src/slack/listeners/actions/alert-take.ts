import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { noticeCard, UNRECORDED_ALERT_PREFIX } from '../../blocks/index.js';
import type { SlackDeps } from '../../deps.js';
import { isFirstDelivery } from '../middleware/first-delivery.js';

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

/**
 * "Take it" on an alert card: the first click owns the alert (the card then says who took it and
 * the asker is told); anyone clicking after is told privately who has it.
 */
export function alertTakeCallback(deps: SlackDeps) {
  return async ({ ack, body, action, respond, context }: ButtonArgs): Promise<void> => {
    await ack();
    if (!(await isFirstDelivery(context))) return;
    const tell = (mrkdwn: string, emoji: string) =>
      respond({ response_type: 'ephemeral', replace_original: false, ...noticeCard(mrkdwn, emoji) });
    const value = action.value ?? '';
    const alertId = Number(value);
    const questionId = value.startsWith(UNRECORDED_ALERT_PREFIX)
      ? value.slice(UNRECORDED_ALERT_PREFIX.length)
      : undefined;
    if (!deps.alerts || (!questionId && !Number.isSafeInteger(alertId))) {
      await tell('This alert is no longer tracked.', ':grey_question:');
      return;
    }
    const outcome = questionId
      ? await deps.alerts.takeByQuestion(questionId, body.user.id, context.teamId)
      : await deps.alerts.take(alertId, body.user.id, context.teamId);
    if (outcome.kind === 'already_taken') {
      await tell(
        outcome.takenBy === body.user.id
          ? 'You have already taken this one.'
          : `Already taken by <@${outcome.takenBy}>.`,
        ':raised_hand:',
      );
    } else if (outcome.kind === 'not_found') {
      await tell('This alert is no longer tracked.', ':grey_question:');
    }
  };
}
