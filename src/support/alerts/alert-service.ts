import type { Logger } from 'pino';
import { type Clock, systemClock } from '../ports.js';
import type { Answer } from '../types.js';
import type { AlertNotifier, AlertStore, NewAlert, QuestionFinder } from './ports.js';
import type { Alert, AlertDetails, TakeOutcome } from './types.js';

/** The ticket filed for the question, as far as an alert needs it (a tickets `Ticket` fits). */
export interface RaisedTicket {
  id: number;
  status: string;
  externalNumber?: string;
  externalUrl?: string;
}

export interface AlertServiceOptions {
  store: AlertStore;
  notifier: AlertNotifier;
  questions: QuestionFinder;
  logger: Logger;
  /** The support channel alerts go to (ALERT_CHANNEL). */
  channelId: string;
  /** An alert no one took within this time is escalated once. */
  escalateAfterMs: number;
  clock?: Clock;
  /** Alerts escalated per run at most. */
  escalationBatch?: number;
}

/**
 * Urgent-case alerts: posted to the support channel, taken by exactly one person, escalated once
 * when no one takes them in time. Every step is kept in `alerts` for the digest.
 */
export class AlertService {
  private readonly clock: Clock;

  constructor(private readonly options: AlertServiceOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Raises the alert for a high-urgency answer (undefined for any other): stores it, then posts
   * its card. A card that cannot be posted is logged; the stored alert is still escalated later.
   */
  async raise(answer: Answer, ticket?: RaisedTicket): Promise<Alert | undefined> {
    const { question } = answer;
    if (question.triage.urgency !== 'high') return undefined;
    const raised: NewAlert = {
      questionId: question.id,
      ticketId: ticket?.id,
      channelId: this.options.channelId,
      urgency: question.triage.urgency,
      category: question.triage.category,
      createdAt: this.clock.now(),
    };
    let alert: Alert;
    try {
      const existing = await this.options.store.findByQuestion(question.id);
      if (existing) return existing;
      alert = await this.options.store.insert(raised);
    } catch (error) {
      if (!this.options.store.recordLater) throw error;
      return this.raiseUnrecorded(raised, answer, ticket, error);
    }
    const { messageTs } = await this.post(alert, answer, ticket);
    if (messageTs) {
      await this.options.store.setMessageTs(alert.id, messageTs);
      alert.messageTs = messageTs;
    }
    return alert;
  }

  /**
   * The store is away (a database outage): an urgent case must not wait for it. The card is posted
   * now, known by its question, and the alert is stored once the store is back.
   */
  private async raiseUnrecorded(
    raised: NewAlert,
    answer: Answer,
    ticket: RaisedTicket | undefined,
    error: unknown,
  ): Promise<Alert> {
    this.options.logger.warn(
      { questionId: raised.questionId, err: (error as Error).message },
      'could not store the alert; posting it now and storing it once the database is back',
    );
    const alert: Alert = { ...raised, id: 0, unrecorded: true };
    const { messageTs } = await this.post(alert, answer, ticket);
    alert.messageTs = messageTs;
    await this.options.store.recordLater?.({ ...raised, messageTs });
    return alert;
  }

  /** Posts the alert card; a card that cannot be posted is logged, and a stored alert is still escalated later. */
  private async post(alert: Alert, answer: Answer, ticket?: RaisedTicket): Promise<{ messageTs?: string }> {
    const { question } = answer;
    const details: AlertDetails = {
      alert,
      question,
      ticket: ticket && {
        id: ticket.id,
        status: ticket.status,
        number: ticket.externalNumber,
        url: ticket.externalUrl,
      },
    };
    try {
      const posted = await this.options.notifier.post(details);
      this.options.logger.info({ alertId: alert.id, questionId: question.id }, 'urgent question alerted');
      return posted;
    } catch (error) {
      this.options.logger.error(
        { alertId: alert.id, questionId: question.id, err: (error as Error).message },
        'could not post the alert card; it will be escalated if no one takes it',
      );
      return {};
    }
  }

  /** "Take it" on a card posted while the alert was not stored yet: the alert is found by its question. */
  async takeByQuestion(questionId: string, userId: string, teamId?: string): Promise<TakeOutcome> {
    const alert = await this.options.store.findByQuestion(questionId);
    if (!alert) return { kind: 'not_found' };
    return this.take(alert.id, userId, teamId);
  }

  /**
   * "Take it": the first person to click owns the alert; the card shows it and the asker is told.
   * Anyone after gets `already_taken` with the owner. With `teamId`, an alert about another
   * workspace's question is `not_found`.
   */
  async take(alertId: number, userId: string, teamId?: string): Promise<TakeOutcome> {
    if (teamId && !(await this.belongsTo(alertId, teamId))) return { kind: 'not_found' };
    const taken = await this.options.store.take(alertId, userId, this.clock.now());
    if (!taken) {
      const current = await this.options.store.findById(alertId);
      if (!current?.takenBy) return { kind: 'not_found' };
      return { kind: 'already_taken', takenBy: current.takenBy, takenAt: current.takenAt };
    }
    this.options.logger.info({ alertId, takenBy: userId }, 'alert taken');
    const details = await this.details(taken);
    if (!details) return { kind: 'not_found' };
    await this.safely('update the alert card', alertId, () => this.options.notifier.update(details));
    await this.safely('tell the asker', alertId, () => this.options.notifier.tellAsker(details, userId));
    return { kind: 'taken', details };
  }

  /**
   * Escalates, once each, the alerts no one took in time; safe to run from several processes at
   * once. Returns how many were escalated.
   */
  async escalateDue(): Promise<number> {
    const now = this.clock.now();
    const createdBefore = new Date(now.getTime() - this.options.escalateAfterMs);
    const claimed = await this.options.store.claimEscalations(
      createdBefore,
      now,
      this.options.escalationBatch ?? 20,
    );
    let escalated = 0;
    for (const alert of claimed) {
      const details = await this.details(alert);
      if (!details) continue;
      try {
        await this.options.notifier.escalate(details);
        escalated += 1;
        this.options.logger.warn({ alertId: alert.id }, 'alert not taken in time: escalated');
      } catch (error) {
        this.options.logger.error(
          { alertId: alert.id, err: (error as Error).message },
          'could not escalate the alert; trying again on the next run',
        );
        await this.options.store.releaseEscalation(alert.id, now);
        continue;
      }
      await this.safely('update the alert card', alert.id, () => this.options.notifier.update(details));
    }
    return escalated;
  }

  private async belongsTo(alertId: number, teamId: string): Promise<boolean> {
    const alert = await this.options.store.findById(alertId);
    if (!alert) return false;
    const question = await this.options.questions.findQuestion(alert.questionId);
    return !question?.teamId || question.teamId === teamId;
  }

  private async details(alert: Alert): Promise<AlertDetails | undefined> {
    const question = await this.options.questions.findQuestion(alert.questionId);
    if (!question) {
      this.options.logger.warn({ alertId: alert.id }, 'the question of this alert is gone');
      return undefined;
    }
    const ticket = alert.ticketId ? await this.options.store.findTicket(alert.ticketId) : undefined;
    return { alert, question, ticket };
  }

  private async safely(what: string, alertId: number, step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch (error) {
      this.options.logger.warn({ alertId, err: (error as Error).message }, `could not ${what}`);
    }
  }
}
