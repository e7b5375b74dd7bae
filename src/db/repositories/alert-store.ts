import { and, asc, eq, inArray, isNull, lte } from 'drizzle-orm';
import type { Alert, AlertStore, AlertTicket, NewAlert } from '../../support/alerts/index.js';
import type { Urgency } from '../../support/types.js';
import type { Db } from '../client.js';
import { alerts, tickets } from '../schema/index.js';
import type { WriteBuffer } from '../write-buffer.js';

type AlertRow = typeof alerts.$inferSelect;

/** Alerts in Postgres. Taking and escalating are conditional updates, so concurrent clicks and replicas agree. */
export class DrizzleAlertStore implements AlertStore {
  /** With a write buffer: keeps an alert posted during a database outage, spooled until it can be stored. */
  readonly recordLater?: (alert: NewAlert & { messageTs?: string }) => Promise<void>;

  constructor(
    private readonly db: Db,
    buffer?: WriteBuffer,
  ) {
    if (!buffer) return;
    buffer.register('alert', (data) => {
      const alert = data as NewAlert & { messageTs?: string };
      return this.insertIfAbsent({ ...alert, createdAt: new Date(alert.createdAt) });
    });
    this.recordLater = (alert) => buffer.write('alert', alert);
  }

  async insert(alert: NewAlert): Promise<Alert> {
    const [row] = await this.db.insert(alerts).values(alertValues(alert)).returning();
    return toAlert(row as AlertRow);
  }

  /** Stores an alert posted while the database was away, unless its question has one already (a replay). */
  async insertIfAbsent(alert: NewAlert & { messageTs?: string }): Promise<void> {
    await this.db
      .insert(alerts)
      .values(alertValues(alert))
      .onConflictDoNothing({ target: alerts.questionId });
  }

  async findById(id: number): Promise<Alert | undefined> {
    const [row] = await this.db.select().from(alerts).where(eq(alerts.id, id));
    return row && toAlert(row);
  }

  async findByQuestion(questionId: string): Promise<Alert | undefined> {
    const [row] = await this.db
      .select()
      .from(alerts)
      .where(eq(alerts.questionId, questionId))
      .orderBy(asc(alerts.id))
      .limit(1);
    return row && toAlert(row);
  }

  async findTicket(ticketId: number): Promise<AlertTicket | undefined> {
    const [row] = await this.db
      .select({
        id: tickets.id,
        status: tickets.status,
        number: tickets.externalNumber,
        url: tickets.externalUrl,
      })
      .from(tickets)
      .where(eq(tickets.id, ticketId));
    return (
      row && { id: row.id, status: row.status, number: row.number ?? undefined, url: row.url ?? undefined }
    );
  }

  async setMessageTs(id: number, messageTs: string): Promise<void> {
    await this.db.update(alerts).set({ messageTs }).where(eq(alerts.id, id));
  }

  async take(id: number, userId: string, now: Date): Promise<Alert | undefined> {
    const [row] = await this.db
      .update(alerts)
      .set({ takenBy: userId, takenAt: now })
      .where(and(eq(alerts.id, id), isNull(alerts.takenBy)))
      .returning();
    return row && toAlert(row);
  }

  async claimEscalations(createdBefore: Date, now: Date, limit: number): Promise<Alert[]> {
    const due = this.db
      .select({ id: alerts.id })
      .from(alerts)
      .where(and(isNull(alerts.takenBy), isNull(alerts.escalatedAt), lte(alerts.createdAt, createdBefore)))
      .orderBy(asc(alerts.createdAt))
      .limit(limit)
      .for('update', { skipLocked: true });
    // The outer conditions are checked again on the locked rows: a row taken or escalated meanwhile is left alone.
    const rows = await this.db
      .update(alerts)
      .set({ escalatedAt: now })
      .where(and(inArray(alerts.id, due), isNull(alerts.takenBy), isNull(alerts.escalatedAt)))
      .returning();
    return rows.map(toAlert);
  }

  async releaseEscalation(id: number, claimedAt: Date): Promise<void> {
    await this.db
      .update(alerts)
      .set({ escalatedAt: null })
      .where(and(eq(alerts.id, id), eq(alerts.escalatedAt, claimedAt)));
  }
}

/** The row of a new alert; `messageTs` only for one posted before it could be stored. */
function alertValues(alert: NewAlert & { messageTs?: string }): typeof alerts.$inferInsert {
  return {
    questionId: alert.questionId,
    ticketId: alert.ticketId,
    channelId: alert.channelId,
    urgency: alert.urgency,
    category: alert.category,
    createdAt: alert.createdAt,
    messageTs: alert.messageTs,
  };
}

function toAlert(row: AlertRow): Alert {
  return {
    id: row.id,
    questionId: row.questionId,
    ticketId: row.ticketId ?? undefined,
    createdAt: row.createdAt,
    channelId: row.channelId,
    messageTs: row.messageTs ?? undefined,
    urgency: row.urgency as Urgency,
    category: row.category,
    takenBy: row.takenBy ?? undefined,
    takenAt: row.takenAt ?? undefined,
    escalatedAt: row.escalatedAt ?? undefined,
  };
}
