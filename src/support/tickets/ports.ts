import type { CreatedTicket } from '../ports.js';
import type { Ticket, TicketDeskUpdate, TicketInput, TicketStatus } from './types.js';

/** A ticket about to be stored for the first time. */
export interface NewTicket extends Omit<TicketInput, 'idempotencyKey' | 'responseUrl' | 'card'> {
  idempotencyKey: string;
  status: Extract<TicketStatus, 'pending' | 'local'>;
  desk?: string;
  /** 1 when the caller files it at once (the insert is its claim), else 0. */
  attempts: number;
  nextAttemptAt: Date;
  card: { responseUrl?: string; channelId?: string; ts?: string };
}

/**
 * Which attempt an outcome belongs to: only the holder of the latest claim may record one, so a
 * late answer from an attempt whose lease ran out cannot overwrite a newer one.
 */
export interface AttemptRef {
  id: number;
  attempts: number;
}

/**
 * Thrown by a TicketStore that cannot store a ticket now (its database is away) but has kept it: it
 * is stored once it can be, with no attempt made, and the outbox files it from there. The ticket
 * has no number yet.
 */
export class TicketKeptForLaterError extends Error {
  constructor(readonly idempotencyKey: string) {
    super(`ticket ${idempotencyKey} could not be stored now; it is kept and will be filed once it is`);
    this.name = 'TicketKeptForLaterError';
  }
}

/** The `tickets` table, which is also the outbox; implemented with drizzle in src/db/repositories. */
export interface TicketStore {
  /** Stores the ticket unless one with its key exists; returns the stored row and whether this call wrote it. */
  insert(ticket: NewTicket): Promise<{ ticket: Ticket; inserted: boolean }>;
  findById(id: number): Promise<Ticket | undefined>;
  /** The ticket stored under an idempotency key, if any. */
  findByKey(idempotencyKey: string): Promise<Ticket | undefined>;
  findByQuestion(questionId: string): Promise<Ticket | undefined>;
  /**
   * Claims up to `limit` pending tickets due by `now` for `leaseMs`: each gets one more attempt and
   * is not due again before the lease ends. Tickets another process is claiming are skipped.
   */
  claimDue(limit: number, now: Date, leaseMs: number): Promise<Ticket[]>;
  /** Records the desk's confirmation; undefined when the attempt is no longer the current one. */
  markCreated(
    attempt: AttemptRef,
    desk: string,
    created: CreatedTicket,
    now: Date,
  ): Promise<Ticket | undefined>;
  /** Keeps the ticket pending until `nextAttemptAt`; undefined when the attempt is no longer the current one. */
  scheduleRetry(
    attempt: AttemptRef,
    error: string,
    nextAttemptAt: Date,
    now: Date,
  ): Promise<Ticket | undefined>;
  /** Gives up on the ticket with a reason people can read; undefined when the attempt is no longer the current one. */
  markFailed(attempt: AttemptRef, reason: string, now: Date): Promise<Ticket | undefined>;
  /** Points the ticket's card at a new message (channel and ts). */
  saveCardLocation(id: number, location: { channelId: string; ts: string }): Promise<void>;
  /** Applies what the desk reported about one of its tickets; undefined when no ticket has that external id. */
  applyDeskUpdate(update: TicketDeskUpdate, now: Date): Promise<Ticket | undefined>;
}

/** Tells the asker how their ticket is doing (their card follows the ticket). */
export interface TicketNotifier {
  ticketChanged(ticket: Ticket): Promise<void>;
}
