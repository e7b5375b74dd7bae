import type { Logger } from 'pino';
import { type Clock, systemClock, TicketDeskError } from '../ports.js';
import { type BackoffOptions, DEFAULT_BACKOFF, retryDelayMs } from '../tickets/backoff.js';
import type { Ticket, TicketStore } from '../tickets/index.js';
import type { AdditionAttempt, ThreadPoster, TicketConversation, TicketThreadStore } from './ports.js';
import type { DeskAgentReply, SlackThreadReply, ThreadAddition, TicketThreadLink } from './types.js';

export interface TicketSyncServiceOptions {
  store: TicketThreadStore;
  tickets: Pick<TicketStore, 'findById'>;
  /** The desk's conversation side; without one, Slack replies wait in the outbox. */
  desk?: TicketConversation;
  /** Slack; undefined while it is not connected (agent replies wait in the outbox). */
  poster: () => ThreadPoster | undefined;
  logger: Logger;
  clock?: Clock;
  deadlineMs?: number;
  maxAttempts?: number;
  backoff?: BackoffOptions;
}

type Outcome =
  | { kind: 'sent'; slackTs?: string; externalThreadId?: string }
  | { kind: 'retry'; error: string; retryAfterMs?: number }
  | { kind: 'failed'; error: string };

const DEFAULT_DEADLINE_MS = 10_000;
const LEASE_MARGIN_MS = 5_000;

/**
 * Keeps a ticket and the Slack thread it came from in step: later replies in the thread reach the
 * desk (the asker's as the customer's, anyone else's as notes) and agents' replies at the desk are
 * posted in the thread. Everything goes through an outbox keyed by the source message, so a retried
 * event or webhook adds nothing twice and nothing is lost while either side is down; what deskhand
 * relayed itself is recognised and never sent back.
 */
export class TicketSyncService {
  private readonly clock: Clock;
  private readonly deadlineMs: number;
  private readonly maxAttempts: number;

  constructor(private readonly options: TicketSyncServiceOptions) {
    this.clock = options.clock ?? systemClock;
    this.deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
    this.maxAttempts = options.maxAttempts ?? 8;
  }

  /** Links a ticket to the thread it was filed from; messages after `afterTs` will follow it. */
  linkThread(link: TicketThreadLink): Promise<TicketThreadLink> {
    return this.options.store.link(link);
  }

  /** The ticket link of a thread, if a ticket was filed from it. */
  linkOf(channelId: string, threadTs: string): Promise<TicketThreadLink | undefined> {
    return this.options.store.findByThread(channelId, threadTs);
  }

  /**
   * A human's reply in a thread: queued for the ticket filed from it (if any) and tried at once.
   * Returns the addition, or undefined when the reply has nowhere to go or came from deskhand.
   */
  async slackReply(reply: SlackThreadReply): Promise<ThreadAddition | undefined> {
    const text = reply.text.trim();
    if (!text || reply.threadTs === reply.ts) return undefined;
    const link = await this.options.store.findByThread(reply.channelId, reply.threadTs);
    if (!link || !isAfter(reply.ts, link.afterTs)) return undefined;
    if (await this.options.store.postedBySync(reply.channelId, reply.ts)) return undefined;
    const fromAsker = reply.userId === link.askerId;
    const now = this.clock.now();
    const { addition, inserted } = await this.options.store.enqueue({
      teamId: link.teamId,
      idempotencyKey: `slack:${reply.channelId}:${reply.ts}`,
      ticketId: link.ticketId,
      direction: 'to_desk',
      kind: fromAsker ? 'customer' : 'note',
      channelId: reply.channelId,
      threadTs: reply.threadTs,
      slackTs: reply.ts,
      authorId: reply.userId,
      authorName: reply.userName,
      text: fromAsker ? text : `${reply.userName ?? reply.userId} in Slack: ${text}`,
      attempts: 1,
      nextAttemptAt: new Date(now.getTime() + this.leaseMs),
    });
    if (!inserted) return addition;
    return (await this.attempt(addition)) ?? addition;
  }

  /**
   * An agent's reply at the desk on a ticket: queued for the thread the ticket came from (if any)
   * and posted at once. Undefined when the ticket has no thread or the reply is one deskhand added.
   */
  async agentReply(ticket: Ticket, reply: DeskAgentReply): Promise<ThreadAddition | undefined> {
    const text = reply.text.trim();
    if (!text) return undefined;
    const link = await this.options.store.findByTicket(ticket.id);
    if (!link) return undefined;
    if (await this.options.store.createdBySync(ticket.id, reply.threadId)) return undefined;
    const now = this.clock.now();
    const { addition, inserted } = await this.options.store.enqueue({
      teamId: link.teamId,
      idempotencyKey: `desk:${reply.externalId}:${reply.threadId}`,
      ticketId: ticket.id,
      direction: 'to_slack',
      kind: 'reply',
      channelId: link.channelId,
      threadTs: link.threadTs,
      externalThreadId: reply.threadId,
      authorName: reply.agentName,
      text,
      attempts: 1,
      nextAttemptAt: new Date(now.getTime() + this.leaseMs),
    });
    if (!inserted) return addition;
    return (await this.attempt(addition)) ?? addition;
  }

  /** One outbox step: claims due additions and tries each; returns how many it claimed. */
  async sendDue(limit: number): Promise<number> {
    const claimed = await this.options.store.claimDue(limit, this.clock.now(), this.leaseMs);
    await Promise.all(claimed.map((addition) => this.attempt(addition)));
    return claimed.length;
  }

  private get leaseMs(): number {
    return this.deadlineMs + LEASE_MARGIN_MS;
  }

  private async attempt(addition: ThreadAddition): Promise<ThreadAddition | undefined> {
    const outcome = await this.withDeadline(() =>
      addition.direction === 'to_desk' ? this.toDesk(addition) : this.toSlack(addition),
    );
    const ref: AdditionAttempt = { id: addition.id, attempts: addition.attempts };
    const log = { additionId: addition.id, ticketId: addition.ticketId, direction: addition.direction };
    if (outcome.kind === 'sent') {
      this.options.logger.info(log, 'thread addition sent');
      return this.options.store.markSent(ref, outcome, this.clock.now());
    }
    if (outcome.kind === 'failed' || addition.attempts >= this.maxAttempts) {
      this.options.logger.error({ ...log, err: outcome.error }, 'thread addition failed for good');
      return this.options.store.markFailed(ref, outcome.error);
    }
    const delay = retryDelayMs(
      addition.attempts,
      this.options.backoff ?? DEFAULT_BACKOFF,
      outcome.retryAfterMs,
    );
    this.options.logger.warn(
      { ...log, err: outcome.error, retryInMs: delay },
      'thread addition kept pending',
    );
    return this.options.store.scheduleRetry(ref, outcome.error, new Date(this.clock.now().getTime() + delay));
  }

  private async toDesk(addition: ThreadAddition): Promise<Outcome> {
    const { desk } = this.options;
    if (!desk?.isAvailable())
      return { kind: 'retry', error: `${desk?.label ?? 'the ticket desk'} is not connected` };
    const ticket = await this.options.tickets.findById(addition.ticketId);
    if (!ticket || ticket.status === 'failed' || ticket.status === 'local')
      return { kind: 'failed', error: 'the ticket was never filed with the desk' };
    // The ticket is still being filed: its conversation does not exist yet.
    if (ticket.status === 'pending' || !ticket.externalId)
      return { kind: 'retry', error: 'the ticket is not filed yet' };
    const controller = new AbortController();
    const added = await desk.addToTicket(
      ticket.externalId,
      addition.text,
      addition.kind === 'customer' ? 'customer' : 'note',
      { signal: controller.signal },
    );
    return { kind: 'sent', externalThreadId: added.threadId };
  }

  private async toSlack(addition: ThreadAddition): Promise<Outcome> {
    const poster = this.options.poster();
    if (!poster) return { kind: 'retry', error: 'Slack is not connected' };
    const posted = await poster.postAgentReply(addition.channelId, addition.threadTs, {
      agentName: addition.authorName ?? 'An agent',
      deskLabel: this.options.desk?.label ?? 'the help desk',
      text: addition.text,
    });
    return { kind: 'sent', slackTs: posted.ts };
  }

  private async withDeadline(work: () => Promise<Outcome>): Promise<Outcome> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Outcome>((resolve) => {
      timer = setTimeout(
        () => resolve({ kind: 'retry', error: `no answer within ${this.deadlineMs} ms` }),
        this.deadlineMs,
      );
    });
    try {
      return await Promise.race([work(), timeout]);
    } catch (error) {
      if (error instanceof TicketDeskError)
        return error.retryable
          ? { kind: 'retry', error: error.message, retryAfterMs: error.retryAfterMs }
          : { kind: 'failed', error: error.message };
      return { kind: 'retry', error: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Whether Slack timestamp `ts` comes after `after` (both `seconds.micros`). */
export function isAfter(ts: string, after: string): boolean {
  const [seconds = '0', micros = '0'] = ts.split('.');
  const [afterSeconds = '0', afterMicros = '0'] = after.split('.');
  if (seconds.length !== afterSeconds.length) return seconds.length > afterSeconds.length;
  if (seconds !== afterSeconds) return seconds > afterSeconds;
  return micros.padEnd(6, '0') > afterMicros.padEnd(6, '0');
}

/** The thread so far as plain text for the ticket: one paragraph per message, named by its author. */
export function threadTranscript(messages: ReadonlyArray<{ author: string; text: string }>): string {
  return messages
    .filter((message) => message.text.trim())
    .map((message) => `${message.author}: ${message.text.trim()}`)
    .join('\n\n');
}
