import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import {
  type ChannelSettingsTarget,
  channelSettingsLoadingModal,
  channelSettingsModal,
  channelSettingsNoticeModal,
  noticeCard,
} from '../../blocks/index.js';
import { isAdmin, type SlackDeps } from '../../deps.js';

type CommandArgs = AllMiddlewareArgs & SlackCommandMiddlewareArgs;

/**
 * `/support settings` in a support channel: opens the settings modal with the command's trigger
 * at once (it expires within 3 s), then reads the channel's settings and fills the form in.
 * Anyone but a support admin gets a short refusal.
 */
export async function openChannelSettings(
  deps: SlackDeps,
  { command, ack, client, logger }: Pick<CommandArgs, 'command' | 'ack' | 'client' | 'logger'>,
): Promise<void> {
  const settings = deps.channelSettings;
  if (!isAdmin(deps, command.user_id)) {
    await ack({
      response_type: 'ephemeral',
      ...noticeCard('Sorry — only the support admins can change a channel’s settings.', ':lock:'),
    });
    return;
  }
  if (!settings) {
    await ack({
      response_type: 'ephemeral',
      ...noticeCard('Channel settings are not available here.', ':gear:'),
    });
    return;
  }
  await ack();
  const target: ChannelSettingsTarget = { teamId: command.team_id, channelId: command.channel_id };
  let opened: { id?: string; hash?: string } | undefined;
  try {
    const answer = await client.views.open({
      trigger_id: command.trigger_id,
      view: channelSettingsLoadingModal(target, command.channel_name),
    });
    opened = answer.view;
  } catch (error) {
    logger.error(`opening the channel settings modal failed: ${(error as Error).message}`);
    return;
  }
  if (!opened?.id) return;

  let view: ReturnType<typeof channelSettingsModal>;
  try {
    if (!(await settings.isSupportChannel(target.teamId, target.channelId))) {
      view = channelSettingsNoticeModal(
        target,
        ':information_source: This is not a support channel. Add its id to `SUPPORT_CHANNELS`, then run `/support settings` here again.',
      );
    } else {
      const current = await settings.read(target.teamId, target.channelId);
      view = channelSettingsModal({
        target,
        channelName: command.channel_name,
        values: current,
        sources: deps.support.sources.map((source) => ({ name: source.name, label: source.label })),
      });
    }
  } catch (error) {
    logger.error(`reading the channel settings failed: ${(error as Error).message}`);
    view = channelSettingsNoticeModal(
      target,
      ':warning: The settings could not be read just now — please close this and try again.',
    );
  }
  try {
    await client.views.update({ view_id: opened.id, hash: opened.hash, view });
  } catch (error) {
    logger.error(`filling in the channel settings modal failed: ${(error as Error).message}`);
  }
}
