import type { Question, Urgency } from '../types.js';

/** An urgent-case alert as stored in `alerts`: posted, then taken or escalated. */
export interface Alert {
  id: number;
  questionId: string;
  ticketId?: number;
  createdAt: Date;
  /** The channel the alert card was posted to (ALERT_CHANNEL at the time). */
  channelId: string;
  /** The alert card's message, once it is posted. */
  messageTs?: string;
  urgency: Urgency;
  category: string;
  takenBy?: string;
  takenAt?: Date;
  escalatedAt?: Date;
  /**
   * Posted while the alerts table could not be reached: not stored yet (its `id` is 0), known by
   * its question until the database has it.
   */
  unrecorded?: boolean;
}

/** The ticket an alert links to, as its card shows it. */
export interface AlertTicket {
  id: number;
  status: string;
  number?: string;
  url?: string;
}

/** An alert with what its card and its messages need: the question and the ticket. */
export interface AlertDetails {
  alert: Alert;
  question: Question;
  ticket?: AlertTicket;
}

/** What "Take it" did: this person took it, someone had already, or there is no such alert. */
export type TakeOutcome =
  | { kind: 'taken'; details: AlertDetails }
  | { kind: 'already_taken'; takenBy: string; takenAt?: Date }
  | { kind: 'not_found' };
