import type { Logger } from 'pino';
import { type Clock, type CreatedTicket, systemClock, type TicketDesk, TicketDeskError } from '../ports.js';
import type { Answer } from '../types.js';
import { type BackoffOptions, DEFAULT_BACKOFF, retryDelayMs } from './backoff.js';
import { ticketDraftFor } from './draft.js';
import type { AttemptRef, TicketStore } from './ports.js';
import type { Ticket, TicketDeskUpdate, TicketInput } from './types.js';

export interface TicketServiceOptions {
  store: TicketStore;
  /**
   * The ticket desk; without one, tickets are stored as `local`. A function is asked again for
   * every ticket and outbox step (a desk that connects late or goes away).
   */
  desk?: TicketDesk | (() => TicketDesk | undefined);
  /**
   * Whether a desk may still appear (a service is still starting and its tools are not known
   * yet): a ticket asked for meanwhile waits as `pending` for the outbox instead of staying `local`.
   */
  awaitingDesk?: () => boolean;
  logger: Logger;
  clock?: Clock;
  /** How long one attempt may take before it counts as failed (and is retried). */
  deskDeadlineMs?: number;
  /** Attempts before a ticket the desk keeps refusing is marked `failed`. */
  maxAttempts?: number;
  backoff?: BackoffOptions;
  random?: () => number;
}

/** What an automatic ticket needs besides the answer: who to reach and where their card is. */
export interface AutoTicketOptions {
  customerEmail?: string;
  responseUrl?: string;
  card?: { channelId?: string; ts?: string };
}

type AttemptOutcome =
  | { kind: 'created'; created: CreatedTicket }
  | { kind: 'retry'; error: string; retryAfterMs?: number }
  | { kind: 'failed'; error: string };

const DEFAULT_DEADLINE_MS = 10_000;
/** Time after an attempt's deadline before another process may take the ticket over. */
const LEASE_MARGIN_MS = 5_000;

/**
 * Tickets, filed through an outbox: the row is written first, the desk is tried once at once, and
 * a ticket the desk could not take yet is retried by {@link TicketOutboxWorker} until it is created
 * or has failed for good. One ticket per idempotency key, however often it is asked for.
 */
export class TicketService {
  private readonly clock: Clock;
  private readonly deadlineMs: number;
  private readonly maxAttempts: number;

  constructor(private readonly options: TicketServiceOptions) {
    this.clock = options.clock ?? systemClock;
    this.deadlineMs = options.deskDeadlineMs ?? DEFAULT_DEADLINE_MS;
    this.maxAttempts = options.maxAttempts ?? 8;
  }

  /** The desk tickets go to now, if any. */
  get desk(): TicketDesk | undefined {
    const { desk } = this.options;
    return typeof desk === 'function' ? desk() : desk;
  }

  /** Whether tickets go to a desk now (otherwise they are kept as `local`). */
  get deskConfigured(): boolean {
    return this.desk !== undefined;
  }

  /** Label of the desk tickets go to ("HelpScout"), if any. */
  get deskLabel(): string | undefined {
    return this.desk?.label;
  }

  /**
   * The ticket for this request: stored first, then filed with the desk once within the deadline.
   * Comes back `created`, `pending` (the outbox will retry), `failed` (the desk refused it) or
   * `local` (no desk). Asking again with the same key returns the same ticket untouched.
   */
  async requestTicket(input: TicketInput): Promise<Ticket> {
    const idempotencyKey =
      input.idempotencyKey ?? (input.questionId ? `question:${input.questionId}` : undefined);
    if (!idempotencyKey) throw new Error('a ticket needs a question id or an idempotency key');
    const desk = this.desk;
    // No desk yet, but one may be starting: the ticket waits for the outbox, due at once.
    const waitsForDesk = !desk && (this.options.awaitingDesk?.() ?? false);
    const now = this.clock.now();
    const { ticket, inserted } = await this.options.store.insert({
      idempotencyKey,
      questionId: input.questionId,
      subject: input.subject,
      message: input.message,
      customerEmail: input.customerEmail,
      priority: input.priority,
      type: input.type,
      requesterId: input.requesterId,
      reason: input.reason,
      status: desk || waitsForDesk ? 'pending' : 'local',
      desk: desk?.name,
      // The insert is this call's claim on the first attempt: the outbox leaves it alone meanwhile.
      attempts: desk ? 1 : 0,
      nextAttemptAt: desk ? new Date(now.getTime() + this.leaseMs) : now,
      card: { responseUrl: input.responseUrl, ...input.card },
    });
    if (!inserted || !desk) return ticket;
    return (await this.attempt(desk, ticket)) ?? ((await this.options.store.findById(ticket.id)) as Ticket);
  }

  /**
   * Files a ticket on its own when the answer did not help (`no_answer`) or the question is urgent
   * (`urgent`, priority urgent); undefined when neither applies. Every entry point calls this.
   */
  async autoTicketFor(answer: Answer, options: AutoTicketOptions = {}): Promise<Ticket | undefined> {
    const urgent = answer.question.triage.urgency === 'high';
    if (answer.found && !urgent) return undefined;
    const draft = ticketDraftFor(answer);
    return this.requestTicket({
      questionId: answer.question.id,
      ...draft,
      priority: urgent ? 'urgent' : draft.priority,
      reason: urgent ? 'urgent' : 'no_answer',
      requesterId: answer.question.askerId,
      customerEmail: options.customerEmail,
      responseUrl: options.responseUrl ?? answer.question.responseUrl,
      card: options.card,
    });
  }

  /** The ticket stored under an idempotency key, if any (a caller that chose its own keys finds its ticket again). */
  findByKey(idempotencyKey: string): Promise<Ticket | undefined> {
    return this.options.store.findByKey(idempotencyKey);
  }

  /** The ticket filed for a question, if any. */
  findForQuestion(questionId: string): Promise<Ticket | undefined> {
    return this.options.store.findByQuestion(questionId);
  }

  /**
   * One outbox step: claims up to `limit` due pending tickets and files each with the desk.
   * Returns how many were claimed (a full batch means more may be waiting) and the tickets as
   * they now stand, for the asker's card.
   */
  async fileDue(limit: number): Promise<{ claimed: number; changed: Ticket[] }> {
    const desk = this.desk;
    if (!desk) return { claimed: 0, changed: [] };
    const claimed = await this.options.store.claimDue(limit, this.clock.now(), this.leaseMs);
    const outcomes = await Promise.all(claimed.map((ticket) => this.attempt(desk, ticket)));
    return { claimed: claimed.length, changed: outcomes.filter((ticket) => ticket !== undefined) };
  }

  /** Records what the desk reported (status, last reply); undefined for a ticket deskhand does not know. */
  applyDeskUpdate(update: TicketDeskUpdate): Promise<Ticket | undefined> {
    return this.options.store.applyDeskUpdate(update, this.clock.now());
  }

  /** Remembers where the ticket's card now is (a DM sent when the original card could no longer be reached). */
  rememberCard(ticketId: number, location: { channelId: string; ts: string }): Promise<void> {
    return this.options.store.saveCardLocation(ticketId, location);
  }

  private get leaseMs(): number {
    return this.deadlineMs + LEASE_MARGIN_MS;
  }

  /** Tries the desk once for a claimed ticket and records the outcome; undefined if the claim was lost meanwhile. */
  private async attempt(desk: TicketDesk, ticket: Ticket): Promise<Ticket | undefined> {
    const outcome = await this.callDesk(desk, ticket);
    const ref: AttemptRef = { id: ticket.id, attempts: ticket.attempts };
    const now = this.clock.now();
    const log = { ticketId: ticket.id, attempt: ticket.attempts, desk: desk.name };
    let updated: Ticket | undefined;
    if (outcome.kind === 'created') {
      updated = await this.options.store.markCreated(ref, desk.name, outcome.created, now);
      this.options.logger.info({ ...log, externalId: outcome.created.externalId }, 'ticket filed');
    } else if (outcome.kind === 'failed') {
      updated = await this.options.store.markFailed(ref, outcome.error, now);
      this.options.logger.warn({ ...log, err: outcome.error }, 'ticket refused by the desk');
    } else if (ticket.attempts >= this.maxAttempts) {
      const reason = `${desk.label} could not take the ticket after ${ticket.attempts} attempts: ${outcome.error}`;
      updated = await this.options.store.markFailed(ref, reason, now);
      this.options.logger.error({ ...log, err: outcome.error }, 'ticket failed: out of attempts');
    } else {
      const delay = retryDelayMs(
        ticket.attempts,
        this.options.backoff ?? DEFAULT_BACKOFF,
        outcome.retryAfterMs,
        this.options.random,
      );
      updated = await this.options.store.scheduleRetry(
        ref,
        outcome.error,
        new Date(now.getTime() + delay),
        now,
      );
      this.options.logger.warn({ ...log, err: outcome.error, retryInMs: delay }, 'ticket kept pending');
    }
    if (!updated) this.options.logger.warn(log, 'ticket attempt finished after its claim was taken over');
    return updated;
  }

  private async callDesk(desk: TicketDesk, ticket: Ticket): Promise<AttemptOutcome> {
    if (!desk.isAvailable()) return { kind: 'retry', error: `${desk.label} is not connected` };
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.deadlineMs);
    });
    try {
      const result = await Promise.race([
        desk.createTicket(
          {
            idempotencyKey: ticket.idempotencyKey,
            subject: ticket.subject,
            message: ticket.message,
            customerEmail: ticket.customerEmail,
            priority: ticket.priority,
            type: ticket.type,
          },
          { signal: controller.signal },
        ),
        timeout,
      ]);
      if (result === 'timeout') {
        controller.abort(new Error(`no answer within ${this.deadlineMs} ms`));
        return { kind: 'retry', error: `${desk.label} did not answer within ${this.deadlineMs} ms` };
      }
      return { kind: 'created', created: result };
    } catch (error) {
      if (error instanceof TicketDeskError) {
        return error.retryable
          ? { kind: 'retry', error: error.message, retryAfterMs: error.retryAfterMs }
          : { kind: 'failed', error: error.message };
      }
      // An error the desk did not classify (a dropped connection, a bug): trying again is the safe side.
      return { kind: 'retry', error: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  }
}
