import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { Clock } from '../support/ports.js';
import { systemClock } from '../support/ports.js';
import type { Ticket, TicketNotifier } from '../support/tickets/index.js';
import type { Answer } from '../support/types.js';
import { type CardMessage, type TicketView, ticketCard } from './blocks/index.js';

/** Slack accepts posts to a response_url for 30 minutes; deskhand stops a little earlier to be safe. */
const RESPONSE_URL_USABLE_MS = 25 * 60_000;
const SLACK_USER = /^[UW][A-Z0-9]{2,}$/;

export interface SlackTicketNotifierOptions {
  /**
   * The Web API client for the workspace the ticket's question came from; undefined while Slack is
   * not connected (the ticket is then only stored).
   */
  client: (teamId: string | undefined) => WebClient | undefined | Promise<WebClient | undefined>;
  /** Label of the ticket desk ("HelpScout") for the card, as it is now (the desk may connect late). */
  deskLabel?: () => string | undefined;
  /** The answer the ticket came from, so the card keeps showing the question. */
  findAnswer?: (questionId: string) => Promise<Answer | undefined>;
  /** Remembers a DM the card moved to, so later changes update it instead of sending another. */
  rememberCard?: (ticketId: number, location: { channelId: string; ts: string }) => Promise<void>;
  logger: Logger;
  clock?: Clock;
}

/**
 * Keeps the asker's ticket card in step with the ticket: through the card's response_url while
 * Slack still accepts it, else by updating the card message, else in a DM to the asker.
 */
export class SlackTicketNotifier implements TicketNotifier {
  private readonly clock: Clock;

  constructor(private readonly options: SlackTicketNotifierOptions) {
    this.clock = options.clock ?? systemClock;
  }

  async ticketChanged(ticket: Ticket): Promise<void> {
    const answer = ticket.questionId ? await this.options.findAnswer?.(ticket.questionId) : undefined;
    const message = ticketCard(ticketView(ticket, this.options.deskLabel?.()), answer);
    const { responseUrl, channelId, ts } = ticket.card;
    const fresh = this.clock.now().getTime() - ticket.createdAt.getTime() < RESPONSE_URL_USABLE_MS;
    if (responseUrl && fresh && (await replaceViaResponseUrl(responseUrl, message, this.options.logger)))
      return;

    const client = await this.options.client(answer?.question.teamId);
    if (!client) return;
    if (channelId && ts) {
      try {
        await client.chat.update({ channel: channelId, ts, ...message });
        return;
      } catch (error) {
        this.options.logger.info(
          { ticketId: ticket.id, err: (error as Error).message },
          'ticket card could not be updated; sending it as a DM',
        );
      }
    }
    if (!ticket.requesterId || !SLACK_USER.test(ticket.requesterId)) return;
    const posted = await client.chat.postMessage({
      channel: ticket.requesterId,
      ...message,
      unfurl_links: false,
    });
    if (posted.channel && posted.ts) {
      await this.options.rememberCard?.(ticket.id, { channelId: posted.channel, ts: posted.ts });
    }
  }
}

/** What the ticket card shows of a ticket. */
export function ticketView(ticket: Ticket, deskLabel?: string): TicketView {
  return {
    id: ticket.id,
    status: ticket.status,
    subject: ticket.subject,
    priority: ticket.priority,
    // Until the desk's own number is stored, its conversation id (the one in the link) beats deskhand's row id.
    number: ticket.externalNumber ?? ticket.externalId,
    url: ticket.externalUrl,
    desk: deskLabel,
    lastError: ticket.lastError,
    externalStatus: ticket.externalStatus,
    lastReply: ticket.lastReplyText,
  };
}

/**
 * Replaces the message a response_url belongs to; false when Slack no longer accepts the URL
 * (expired, used five times) or cannot be reached, so the caller can reach the person another way.
 */
export async function replaceViaResponseUrl(
  url: string,
  message: CardMessage,
  logger: { info(message: string): void },
): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ replace_original: true, response_type: 'ephemeral', ...message }),
      signal: AbortSignal.timeout(5_000),
    });
    const body = await response.text();
    // Slack answers `ok` as text, or JSON that may still say `"ok": false`.
    if (response.ok && !/"ok"\s*:\s*false/.test(body)) return true;
    logger.info(`response_url refused the ticket card: ${response.status} ${body.slice(0, 200)}`);
  } catch (error) {
    logger.info(`response_url could not be reached: ${(error as Error).message}`);
  }
  return false;
}
