import type { TicketPriority, TicketType } from '../ports.js';

/**
 * Where a ticket stands in deskhand: `pending` until the ticket desk confirms it, then `created`;
 * `failed` when the desk refused it or every attempt ran out; `local` when no desk is configured.
 */
export type TicketStatus = 'pending' | 'created' | 'failed' | 'local';

/** Why the ticket exists: the asker asked for it, no good answer was found, or the question is urgent. */
export type TicketReason = 'asked' | 'no_answer' | 'urgent';

/** Where the asker's card lives, so it can follow the ticket. */
export interface TicketCardLocation {
  /** Slack's response_url for the card (valid about 30 minutes after the click that gave it). */
  responseUrl?: string;
  channelId?: string;
  ts?: string;
}

/** A ticket as deskhand stores and shows it. */
export interface Ticket {
  id: number;
  /** One ticket per key: `question:<id>` unless the caller chose another. */
  idempotencyKey: string;
  questionId?: string;
  status: TicketStatus;
  reason: TicketReason;
  subject: string;
  message: string;
  customerEmail?: string;
  priority: TicketPriority;
  type: TicketType;
  /** The Slack user (or other asker id) who asked for it. */
  requesterId?: string;
  /** Name of the ticket desk it was filed with (the MCP service name). */
  desk?: string;
  externalId?: string;
  /** The number people use for the ticket at the desk (HelpScout's conversation number). */
  externalNumber?: string;
  externalUrl?: string;
  /** The desk's own status (active, pending, closed), as its webhooks report it. */
  externalStatus?: string;
  lastReplyAt?: Date;
  lastReplyText?: string;
  /** Attempts made to file it with the desk so far. */
  attempts: number;
  /** When the outbox tries again (meaningful while `pending`). */
  nextAttemptAt: Date;
  /** The last error from the desk; for a `failed` ticket, the reason shown to people. */
  lastError?: string;
  /** When the desk confirmed it. */
  filedAt?: Date;
  card: TicketCardLocation;
  createdAt: Date;
  updatedAt: Date;
}

/** What a caller asks for; everything the ticket desk needs plus where the asker's card is. */
export interface TicketInput {
  questionId?: string;
  /** Defaults to `question:<questionId>`; required when there is no question. */
  idempotencyKey?: string;
  subject: string;
  message: string;
  customerEmail?: string;
  priority: TicketPriority;
  type: TicketType;
  requesterId?: string;
  reason: TicketReason;
  responseUrl?: string;
  card?: { channelId?: string; ts?: string };
}

/** What a ticket desk's webhook says changed about one of its tickets. */
export interface TicketDeskUpdate {
  externalId: string;
  externalNumber?: string;
  externalStatus?: string;
  lastReply?: { at: Date; text: string };
}
