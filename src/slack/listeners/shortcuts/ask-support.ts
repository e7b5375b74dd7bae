import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { answerQuestion, permalinkOf, questionTextOf } from '../../answer-question.js';
import { lookingUpNotice, noticeCard } from '../../blocks/index.js';
import { channelKindOf } from '../../channel-kind.js';
import type { SlackDeps } from '../../deps.js';
import { replacingWith, showToAsker } from '../../show-to-asker.js';
import { isFirstDelivery } from '../middleware/first-delivery.js';

type AskSupportArgs = AllMiddlewareArgs & SlackShortcutMiddlewareArgs<MessageShortcut>;

/**
 * "Ask support" on a message: the message's text is the question; the answer goes only to the
 * person who used the shortcut (ephemeral, through the response URL), with a link back to the message.
 */
export function askSupportCallback(deps: SlackDeps) {
  return async ({ shortcut, ack, respond, client, context, logger }: AskSupportArgs): Promise<void> => {
    await ack();
    if (!(await isFirstDelivery(context))) return;
    const text = questionTextOf(shortcut.message.text, context.botUserId);
    if (!text) {
      await respond({
        response_type: 'ephemeral',
        ...noticeCard(
          'That message has no text to ask about — try `/support <your question>`.',
          ':thinking_face:',
        ),
      });
      return;
    }
    if (!deps.work.isAccepting) {
      await respond({
        response_type: 'ephemeral',
        ...noticeCard('deskhand is restarting — please try again in a few seconds.', ':hourglass:'),
      });
      return;
    }
    await respond({
      response_type: 'ephemeral',
      ...lookingUpNotice(
        text,
        deps.support.sources.map((source) => source.label),
      ),
    });

    const channelId = shortcut.channel.id;
    const [permalink, channelKind] = await Promise.all([
      permalinkOf(client, channelId, shortcut.message.ts),
      channelKindOf(client, channelId),
    ]);
    const { card } = await answerQuestion(deps, client, {
      text,
      entryPoint: 'shortcut',
      askerId: shortcut.user.id,
      teamId: shortcut.team?.id ?? context.teamId,
      channelId,
      channelKind,
      messageTs: shortcut.message.ts,
      threadTs: shortcut.message.thread_ts,
      permalink,
      responseUrl: shortcut.response_url,
    });
    const where = await showToAsker(
      client,
      logger,
      { userId: shortcut.user.id, channelId },
      card,
      replacingWith(respond, logger),
    );
    deps.cardsShown?.shown(where);
  };
}
