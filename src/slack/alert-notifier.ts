import type { WebClient } from '@slack/web-api';
import type { AlertDetails, AlertNotifier } from '../support/alerts/index.js';
import {
  type AlertView,
  alertCard,
  escalationText,
  noticeCard,
  UNRECORDED_ALERT_PREFIX,
} from './blocks/index.js';

export interface SlackAlertNotifierOptions {
  /**
   * The Web API client for the question's workspace; undefined while Slack is not connected (alerts
   * are then stored, not shown).
   */
  client: (teamId: string | undefined) => WebClient | undefined | Promise<WebClient | undefined>;
  /** The on-call user group (`S…`) an escalation mentions (ONCALL_USERGROUP). */
  oncallUsergroup?: string;
}

const SLACK_USER = /^[UW][A-Z0-9]{2,}$/;

/** Shows alerts in Slack: the card in the support channel, its updates, the escalation reply, the asker's note. */
export class SlackAlertNotifier implements AlertNotifier {
  constructor(private readonly options: SlackAlertNotifierOptions) {}

  async post(details: AlertDetails): Promise<{ messageTs?: string }> {
    const posted = await (await this.client(details)).chat.postMessage({
      channel: details.alert.channelId,
      ...alertCard(alertView(details)),
      unfurl_links: false,
    });
    return { messageTs: posted.ts };
  }

  async update(details: AlertDetails): Promise<void> {
    const { alert } = details;
    if (!alert.messageTs) return;
    await (await this.client(details)).chat.update({
      channel: alert.channelId,
      ts: alert.messageTs,
      ...alertCard(alertView(details)),
    });
  }

  /**
   * Where the asker will see it: in the thread of their mention, in their DM with deskhand, or,
   * for a slash command or shortcut, as a message from deskhand in their DM with the app.
   */
  async tellAsker(details: AlertDetails, takerId: string): Promise<void> {
    const { question } = details;
    if (!SLACK_USER.test(question.askerId)) return;
    const note = noticeCard(
      `<@${takerId}> from support has taken your urgent question and is on it.`,
      ':raising_hand:',
    );
    const client = await this.client(details);
    if ((question.entryPoint === 'mention' || question.entryPoint === 'channel') && question.channelId) {
      await client.chat.postMessage({
        channel: question.channelId,
        thread_ts: question.threadTs ?? question.messageTs,
        ...note,
      });
      return;
    }
    const inDm = question.entryPoint === 'dm' && question.channelId;
    await client.chat.postMessage({
      channel: inDm ? (question.channelId as string) : question.askerId,
      ...(inDm && question.threadTs ? { thread_ts: question.threadTs } : {}),
      ...note,
    });
  }

  async escalate(details: AlertDetails): Promise<void> {
    const { alert } = details;
    await (await this.client(details)).chat.postMessage({
      channel: alert.channelId,
      ...(alert.messageTs ? { thread_ts: alert.messageTs } : {}),
      text: escalationText(this.options.oncallUsergroup),
    });
  }

  private async client(details: AlertDetails): Promise<WebClient> {
    const client = await this.options.client(details.question.teamId);
    if (!client) throw new Error('Slack is not connected for this workspace');
    return client;
  }
}

function alertView(details: AlertDetails): AlertView {
  const { alert, question, ticket } = details;
  return {
    id: alert.unrecorded ? `${UNRECORDED_ALERT_PREFIX}${alert.questionId}` : alert.id,
    question,
    ticket: ticket && { number: ticket.number, url: ticket.url, status: ticket.status },
    takenBy: alert.takenBy,
    takenAt: alert.takenAt,
    escalated: alert.escalatedAt !== undefined,
  };
}
