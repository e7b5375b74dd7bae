import type { Question, Urgency } from '../types.js';
import type { Alert, AlertDetails, AlertTicket } from './types.js';

/** An alert about to be stored. */
export interface NewAlert {
  questionId: string;
  ticketId?: number;
  channelId: string;
  urgency: Urgency;
  category: string;
  createdAt: Date;
}

/** The `alerts` table; implemented with drizzle in src/db/repositories/alert-store.ts. */
export interface AlertStore {
  insert(alert: NewAlert): Promise<Alert>;
  findById(id: number): Promise<Alert | undefined>;
  findByQuestion(questionId: string): Promise<Alert | undefined>;
  /** The ticket an alert links to, as its card shows it. */
  findTicket(ticketId: number): Promise<AlertTicket | undefined>;
  setMessageTs(id: number, messageTs: string): Promise<void>;
  /**
   * Keeps an alert that was posted while the store could not be reached, to store it (once) when
   * it is back; a store without it makes such an alert fail as before.
   */
  recordLater?(alert: NewAlert & { messageTs?: string }): Promise<void>;
  /**
   * Records who took the alert, only if no one has: the returned alert when this call took it,
   * undefined when someone else was first (or there is no such alert). One owner, whatever the race.
   */
  take(id: number, userId: string, now: Date): Promise<Alert | undefined>;
  /**
   * Marks up to `limit` alerts created by `createdBefore`, neither taken nor escalated, as escalated
   * at `now`, and returns them. Each alert is claimed by exactly one caller across processes.
   */
  claimEscalations(createdBefore: Date, now: Date, limit: number): Promise<Alert[]>;
  /** Undoes a claim whose escalation could not be sent, so a later run tries again. */
  releaseEscalation(id: number, claimedAt: Date): Promise<void>;
}

/** Where alerts are shown: the support channel (Slack), with no Slack types here. */
export interface AlertNotifier {
  /** Posts the alert card; returns the message's id (`ts`) when it has one. */
  post(details: AlertDetails): Promise<{ messageTs?: string }>;
  /** Redraws the alert card as it stands now (taken, escalated). */
  update(details: AlertDetails): Promise<void>;
  /** Tells the asker that someone is on their question. */
  tellAsker(details: AlertDetails, takerId: string): Promise<void>;
  /** Reminds the team of an alert no one took (a thread reply, mentioning on-call when configured). */
  escalate(details: AlertDetails): Promise<void>;
}

/** Reads stored questions (the SupportService does). */
export interface QuestionFinder {
  findQuestion(questionId: string): Promise<Question | undefined>;
}
