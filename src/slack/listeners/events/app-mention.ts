import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { answerQuestion, questionTextOf } from '../../answer-question.js';
import { noticeCard } from '../../blocks/index.js';
import { channelKindOf } from '../../channel-kind.js';
import type { SlackDeps } from '../../deps.js';
import { postingInThread, showToAsker } from '../../show-to-asker.js';
import { isFirstDelivery } from '../middleware/first-delivery.js';

type AppMentionArgs = AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_mention'>;

/**
 * `@deskhand <question>` in a channel: answered in the thread of the mention. A mention in a
 * thread deskhand already answered in is a follow-up on the thread's first question. In a support
 * channel the `message` event of the same message answers it, so it is answered once.
 */
export function appMentionCallback(deps: SlackDeps) {
  return async ({ event, client, context, logger }: AppMentionArgs): Promise<void> => {
    if (event.bot_id || event.subtype || !event.user || event.user === context.botUserId) return;
    // In a support channel the same message also arrives as a `message` event, which answers it.
    if (await isSupportChannel(deps, event.channel)) return;
    if (!(await isFirstDelivery(context))) return;
    const threadTs = event.thread_ts ?? event.ts;
    const text = questionTextOf(event.text, context.botUserId);
    if (!text) {
      await client.chat.postMessage({
        channel: event.channel,
        thread_ts: threadTs,
        ...noticeCard(
          'Ask me a question after the mention, like `@deskhand how do I reset my password?`',
          ':wave:',
        ),
      });
      return;
    }
    // The workspace deskhand is installed in owns the question (in a shared channel the asker's may differ).
    const teamId = context.teamId ?? event.team;
    const parent = event.thread_ts
      ? await threadStart(deps, event.channel, event.thread_ts, teamId)
      : undefined;
    const { card } = await answerQuestion(deps, client, {
      // The thread's first question goes with a follow-up so the lookup has its context.
      text: parent ? `${text}\n\n(Follow-up to: ${parent.text})` : text,
      entryPoint: 'mention',
      askerId: event.user,
      teamId,
      channelId: event.channel,
      channelKind: await channelKindOf(client, event.channel),
      threadTs,
      messageTs: event.ts,
      parentQuestionId: parent?.id,
    });
    // In the thread; if Slack will not take it there, privately in the channel or by DM.
    const where = await showToAsker(
      client,
      logger,
      { userId: event.user, channelId: event.channel },
      card,
      postingInThread(client, { channel: event.channel, threadTs }, logger),
    );
    deps.cardsShown?.shown(where);
  };
}

async function isSupportChannel(deps: SlackDeps, channelId: string): Promise<boolean> {
  if (!deps.requests) return false;
  try {
    return (await deps.requests.settingsFor(channelId)) !== undefined;
  } catch {
    // Settings unreadable: answer the mention rather than risk answering nothing.
    return false;
  }
}

async function threadStart(deps: SlackDeps, channelId: string, threadTs: string, teamId?: string) {
  try {
    return await deps.threads?.findThreadStart(channelId, threadTs, teamId);
  } catch (error) {
    // Without the parent the follow-up is still answered, as a question of its own.
    deps.logger.warn({ err: (error as Error).message }, 'could not look up the thread’s first question');
    return undefined;
  }
}
