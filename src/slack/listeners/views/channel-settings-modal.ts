import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { SettingsChanges } from '../../../support/channel-settings/index.js';
import {
  CHANNEL_SETTINGS_MODAL_IDS,
  decodeChannelSettingsTarget,
  escapeMrkdwn,
  noticeCard,
  readChannelSettingsModal,
} from '../../blocks/index.js';
import { isAdmin, type SlackDeps } from '../../deps.js';

type SubmitArgs = AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>;

/**
 * The settings modal's submit: invalid input (an SLA that is not 1–10080 whole minutes, …) goes
 * back into the modal; otherwise the settings are saved and audited before the modal closes, and
 * the admin sees what changed.
 */
export function channelSettingsSubmitCallback(deps: SlackDeps) {
  return async ({ ack, view, body, client, logger }: SubmitArgs): Promise<void> => {
    const ids = CHANNEL_SETTINGS_MODAL_IDS;
    const target = decodeChannelSettingsTarget(view.private_metadata);
    const settings = deps.channelSettings;
    const userId = body.user.id;
    if (!target || !settings || !isAdmin(deps, userId)) {
      await ack({
        response_action: 'errors',
        errors: {
          [ids.sla.blockId]: !isAdmin(deps, userId)
            ? 'Only the support admins can change channel settings.'
            : 'This form can no longer be sent — please run /support settings again.',
        },
      });
      return;
    }
    const sources = deps.support.sources.map((source) => ({ name: source.name, label: source.label }));
    const { values, errors } = readChannelSettingsModal(view.state.values, sources);
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    let changes: SettingsChanges;
    try {
      ({ changes } = await settings.update(target.teamId, target.channelId, values, userId));
    } catch (error) {
      logger.error(`saving the channel settings failed: ${(error as Error).message}`);
      await ack({
        response_action: 'errors',
        errors: { [ids.sla.blockId]: 'The settings could not be saved just now — please try again.' },
      });
      return;
    }
    await ack();
    const fields = Object.keys(changes);
    const summary =
      fields.length === 0
        ? 'Nothing changed in this channel’s settings.'
        : `Saved this channel’s settings: ${fields.map((field) => `*${escapeMrkdwn(FIELD_LABELS[field] ?? field)}*`).join(', ')} changed.`;
    try {
      await client.chat.postEphemeral({
        channel: target.channelId,
        user: userId,
        ...noticeCard(summary, ':gear:'),
      });
    } catch (error) {
      logger.info(`the settings confirmation was not shown: ${(error as Error).message}`);
    }
  };
}

const FIELD_LABELS: Record<string, string> = {
  autoAnswer: 'answer automatically',
  sources: 'knowledge sources',
  slaMinutes: 'first-response SLA',
  alertChannel: 'alert channel',
  responderUsergroup: 'responder user group',
  responderUserIds: 'responders',
  questionsOnly: 'questions only',
};
