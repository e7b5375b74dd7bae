import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { parsePeriod } from '../../../digest/period.js';
import { answerQuestion } from '../../answer-question.js';
import {
  digestCard,
  errorNotice,
  escapeMrkdwn,
  helpCard,
  lookingUpNotice,
  noticeCard,
} from '../../blocks/index.js';
import { channelKindOf } from '../../channel-kind.js';
import { adminRefusal, isAdmin, type SlackDeps } from '../../deps.js';
import { replacingWith, showToAsker } from '../../show-to-asker.js';
import { isFirstDelivery } from '../middleware/first-delivery.js';
import { parseSupportCommand } from './parse-support-command.js';
import { openChannelSettings } from './settings-command.js';

type SupportCommandArgs = AllMiddlewareArgs & SlackCommandMiddlewareArgs;

/** `/support …`: acks at once with a "looking it up" note, then replaces it with the answer card. */
export function supportCommandCallback(deps: SlackDeps) {
  return async ({ command, ack, respond, client, context, logger }: SupportCommandArgs): Promise<void> => {
    const parsed = parseSupportCommand(command.text);
    if (parsed.kind === 'help') {
      await ack({
        response_type: 'ephemeral',
        ...helpCard({
          isAdmin: isAdmin(deps, command.user_id),
          ticketsEnabled: deps.settings.ticketsEnabled,
          alertChannel: deps.settings.alertChannel,
        }),
      });
      return;
    }
    if (parsed.kind === 'settings') {
      await openChannelSettings(deps, { command, ack, client, logger });
      return;
    }
    if (parsed.kind === 'digest') {
      await answerDigestCommand(deps, command, parsed.period ?? '7d', ack, respond, logger);
      return;
    }
    if (!deps.work.isAccepting) {
      await ack({
        response_type: 'ephemeral',
        ...noticeCard('deskhand is restarting — please ask again in a few seconds.', ':hourglass:'),
      });
      return;
    }

    await ack({
      response_type: 'ephemeral',
      ...lookingUpNotice(
        parsed.question,
        deps.support.sources.map((source) => source.label),
      ),
    });
    if (!(await isFirstDelivery(context))) return;

    const { card } = await answerQuestion(deps, client, {
      text: parsed.question,
      markedUrgent: parsed.urgent,
      entryPoint: 'slash',
      askerId: command.user_id,
      teamId: command.team_id,
      channelId: command.channel_id,
      channelKind: await channelKindOf(client, command.channel_id),
      responseUrl: command.response_url,
    });
    // In place of "Looking it up…"; if Slack will not take it there, privately in the channel or by DM.
    const where = await showToAsker(
      client,
      logger,
      { userId: command.user_id, channelId: command.channel_id },
      card,
      replacingWith(respond, logger),
    );
    deps.cardsShown?.shown(where);
  };
}

/** `/support digest [1d|7d|30d]`: the digest, only to the admin who asked; a polite no to others. */
async function answerDigestCommand(
  deps: SlackDeps,
  command: { user_id: string; team_id: string },
  since: string,
  ack: SupportCommandArgs['ack'],
  respond: SupportCommandArgs['respond'],
  logger: SupportCommandArgs['logger'],
): Promise<void> {
  if (!isAdmin(deps, command.user_id)) {
    await ack({
      response_type: 'ephemeral',
      ...noticeCard(adminRefusal(deps, 'the digest'), ':lock:'),
    });
    return;
  }
  if (!deps.digest) {
    await ack({
      response_type: 'ephemeral',
      ...noticeCard('The digest is not available here.', ':bar_chart:'),
    });
    return;
  }
  let period: string;
  try {
    period = parsePeriod(since).label;
  } catch (error) {
    await ack({
      response_type: 'ephemeral',
      ...noticeCard(escapeMrkdwn((error as Error).message), ':warning:'),
    });
    return;
  }
  await ack({
    response_type: 'ephemeral',
    ...noticeCard(`Putting together the digest for the last ${period}…`, ':bar_chart:'),
  });
  try {
    await respond({
      response_type: 'ephemeral',
      replace_original: true,
      ...digestCard(await deps.digest(period, command.team_id)),
    });
  } catch (error) {
    logger.error(`digest failed: ${(error as Error).message}`);
    await respond({ response_type: 'ephemeral', replace_original: true, ...errorNotice() });
  }
}
