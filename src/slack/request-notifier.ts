import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { ChannelSettings, RequestNotifier, SupportRequest } from '../support/requests/index.js';
import type { Answer } from '../support/types.js';
import { permalinkOf } from './answer-question.js';
import { breachAlertCard, humanRequestedText, requestCard } from './blocks/index.js';

export interface SlackRequestNotifierOptions {
  /** The Bolt app's client, once the app exists. */
  client: () => WebClient | undefined;
  /** The answer a request's card shows, to redraw it as it was. */
  findAnswer: (questionId: string) => Promise<Answer | undefined>;
  ticketsEnabled: boolean;
  /** The channel's SLA, for the breach alert's text. */
  slaMinutesOf: (channelId: string) => Promise<number | undefined>;
  logger: Logger;
}

/** Shows requests in Slack: the thread card redrawn in place, the breach alert, the ping for a human. */
export class SlackRequestNotifier implements RequestNotifier {
  constructor(private readonly options: SlackRequestNotifierOptions) {}

  async statusChanged(request: SupportRequest): Promise<void> {
    const client = this.#client();
    if (request.replyTs) {
      const answer = request.questionId ? await this.options.findAnswer(request.questionId) : undefined;
      await client.chat.update({
        channel: request.channelId,
        ts: request.replyTs,
        ...requestCard(request, answer, { ticketsEnabled: this.options.ticketsEnabled }),
      });
    }
    if (request.alertChannelId && request.alertTs) {
      const permalink = await permalinkOf(client, request.channelId, request.rootTs);
      await client.chat.update({
        channel: request.alertChannelId,
        ts: request.alertTs,
        ...breachAlertCard(request, {
          permalink,
          slaMinutes: await this.options.slaMinutesOf(request.channelId),
        }),
      });
    }
  }

  async breached(request: SupportRequest, alertChannel: string): Promise<{ ts?: string }> {
    const client = this.#client();
    const permalink = await permalinkOf(client, request.channelId, request.rootTs);
    const posted = await client.chat.postMessage({
      channel: alertChannel,
      ...breachAlertCard(request, {
        permalink,
        slaMinutes: await this.options.slaMinutesOf(request.channelId),
      }),
      unfurl_links: false,
    });
    return { ts: posted.ts };
  }

  async humanRequested(request: SupportRequest, settings: ChannelSettings): Promise<void> {
    await this.#client().chat.postMessage({
      channel: request.channelId,
      thread_ts: request.rootTs,
      text: humanRequestedText(settings.responders, settings.usergroup),
    });
  }

  #client(): WebClient {
    const client = this.options.client();
    if (!client) throw new Error('Slack is not connected yet');
    return client;
  }
}

/** Responders named by user group, read with usergroups.users.list and kept for a minute. */
export class SlackGroupMembers {
  readonly #cache = new Map<string, { members: readonly string[]; at: number }>();

  constructor(private readonly client: () => WebClient | undefined) {}

  async membersOf(usergroupId: string): Promise<readonly string[]> {
    const cached = this.#cache.get(usergroupId);
    if (cached && Date.now() - cached.at < 60_000) return cached.members;
    const client = this.client();
    if (!client) return [];
    const { users } = await client.usergroups.users.list({ usergroup: usergroupId });
    const members = users ?? [];
    this.#cache.set(usergroupId, { members, at: Date.now() });
    return members;
  }
}
