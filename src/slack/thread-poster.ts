import type { WebClient } from '@slack/web-api';
import type { ThreadPoster } from '../support/ticket-sync/index.js';
import { deskReplyMessage } from './blocks/index.js';

/** Posts help-desk agents' replies in their Slack threads. */
export class SlackThreadPoster implements ThreadPoster {
  constructor(private readonly client: WebClient) {}

  async postAgentReply(
    channelId: string,
    threadTs: string,
    reply: { agentName: string; deskLabel: string; text: string },
  ): Promise<{ ts?: string }> {
    const posted = await this.client.chat.postMessage({
      channel: channelId,
      thread_ts: threadTs,
      ...deskReplyMessage(reply),
      unfurl_links: false,
    });
    return { ts: posted.ts };
  }
}
