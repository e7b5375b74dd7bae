import { and, asc, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { CreatedTicket, TicketPriority, TicketType } from '../../support/ports.js';
import {
  type AttemptRef,
  type NewTicket,
  TicketKeptForLaterError,
  type TicketStore,
} from '../../support/tickets/ports.js';
import type { Ticket, TicketDeskUpdate, TicketReason, TicketStatus } from '../../support/tickets/types.js';
import type { Db } from '../client.js';
import { tickets } from '../schema/index.js';
import { isConnectionError, type WriteBuffer } from '../write-buffer.js';

type TicketRow = typeof tickets.$inferSelect;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The columns a new ticket fills; the rest keep their defaults. */
const TICKET_COLUMNS = [
  'idempotencyKey',
  'questionId',
  'status',
  'reason',
  'subject',
  'message',
  'customerEmail',
  'priority',
  'type',
  'requesterId',
  'desk',
  'attempts',
  'nextAttemptAt',
  'responseUrl',
  'cardChannelId',
  'cardTs',
] as const;

/** The `tickets` table and its outbox queries. Every outcome is recorded only by the current claim. */
export class DrizzleTicketStore implements TicketStore {
  /**
   * With a write buffer, a ticket that cannot be inserted because the database is away is kept
   * (spooled to disk) and inserted once it is back, due at once, for the outbox to file: an
   * unanswered or urgent question asked during an outage still gets its ticket.
   */
  /** Every automatic ticket runs it: built once, since building a drizzle insert costs more CPU than running it. */
  private readonly insertStatement;

  constructor(
    private readonly db: Db,
    private readonly buffer?: WriteBuffer,
  ) {
    const values = Object.fromEntries(TICKET_COLUMNS.map((column) => [column, sql.placeholder(column)]));
    this.insertStatement = db
      .insert(tickets)
      .values(values as unknown as typeof tickets.$inferInsert) // placeholders stand for the typed values
      .onConflictDoNothing({ target: tickets.idempotencyKey })
      .returning()
      .prepare('insert_ticket');
    buffer?.register('ticket', async (data) => {
      const kept = data as NewTicket;
      await this.insertRow({ ...kept, nextAttemptAt: new Date(kept.nextAttemptAt) });
    });
  }

  async insert(ticket: NewTicket): Promise<{ ticket: Ticket; inserted: boolean }> {
    // Writes already waiting for the database mean it is away: keep the ticket at once rather than
    // hold the asker's card until a new attempt times out.
    if (this.buffer && this.buffer.pending > 0) return this.keep(ticket);
    try {
      return await this.insertRow(ticket);
    } catch (error) {
      if (!this.buffer || !isConnectionError(error)) throw error;
      return this.keep(ticket);
    }
  }

  private async keep(ticket: NewTicket): Promise<never> {
    // No attempt was made: the outbox files it as soon as it is stored.
    await this.buffer?.write('ticket', { ...ticket, attempts: 0, nextAttemptAt: new Date() });
    throw new TicketKeptForLaterError(ticket.idempotencyKey);
  }

  private async insertRow(ticket: NewTicket): Promise<{ ticket: Ticket; inserted: boolean }> {
    const [row] = await this.insertStatement.execute({
      idempotencyKey: ticket.idempotencyKey,
      questionId: ticket.questionId ?? null,
      status: ticket.status,
      reason: ticket.reason,
      subject: ticket.subject,
      message: ticket.message,
      customerEmail: ticket.customerEmail ?? null,
      priority: ticket.priority,
      type: ticket.type,
      requesterId: ticket.requesterId ?? null,
      desk: ticket.desk ?? null,
      attempts: ticket.attempts,
      nextAttemptAt: ticket.nextAttemptAt,
      responseUrl: ticket.card.responseUrl ?? null,
      cardChannelId: ticket.card.channelId ?? null,
      cardTs: ticket.card.ts ?? null,
    });
    if (row) return { ticket: toTicket(row), inserted: true };
    const [existing] = await this.db
      .select()
      .from(tickets)
      .where(eq(tickets.idempotencyKey, ticket.idempotencyKey))
      .limit(1);
    if (!existing) throw new Error(`ticket ${ticket.idempotencyKey} was neither inserted nor found`);
    return { ticket: toTicket(existing), inserted: false };
  }

  async findById(id: number): Promise<Ticket | undefined> {
    const [row] = await this.db.select().from(tickets).where(eq(tickets.id, id)).limit(1);
    return row ? toTicket(row) : undefined;
  }

  async findByKey(idempotencyKey: string): Promise<Ticket | undefined> {
    const [row] = await this.db
      .select()
      .from(tickets)
      .where(eq(tickets.idempotencyKey, idempotencyKey))
      .limit(1);
    return row ? toTicket(row) : undefined;
  }

  async findByQuestion(questionId: string): Promise<Ticket | undefined> {
    // A button value from an old or forged card: never a uuid Postgres would have to reject.
    if (!UUID.test(questionId)) return undefined;
    const [row] = await this.db
      .select()
      .from(tickets)
      .where(eq(tickets.questionId, questionId))
      .orderBy(desc(tickets.createdAt))
      .limit(1);
    return row ? toTicket(row) : undefined;
  }

  async claimDue(limit: number, now: Date, leaseMs: number): Promise<Ticket[]> {
    return this.db.transaction(async (tx) => {
      const due = await tx
        .select({ id: tickets.id })
        .from(tickets)
        .where(and(eq(tickets.status, 'pending'), lte(tickets.nextAttemptAt, now)))
        .orderBy(asc(tickets.nextAttemptAt))
        .limit(limit)
        .for('update', { skipLocked: true });
      if (due.length === 0) return [];
      const rows = await tx
        .update(tickets)
        .set({
          attempts: sql`${tickets.attempts} + 1`,
          nextAttemptAt: new Date(now.getTime() + leaseMs),
          updatedAt: now,
        })
        .where(
          inArray(
            tickets.id,
            due.map((row) => row.id),
          ),
        )
        .returning();
      return rows.map(toTicket);
    });
  }

  async markCreated(
    attempt: AttemptRef,
    desk: string,
    created: CreatedTicket,
    now: Date,
  ): Promise<Ticket | undefined> {
    return this.updateClaimed(attempt, {
      status: 'created',
      desk,
      externalId: created.externalId,
      externalNumber: created.number,
      externalUrl: created.url,
      filedAt: now,
      lastError: null,
      updatedAt: now,
    });
  }

  async scheduleRetry(
    attempt: AttemptRef,
    error: string,
    nextAttemptAt: Date,
    now: Date,
  ): Promise<Ticket | undefined> {
    return this.updateClaimed(attempt, { lastError: error, nextAttemptAt, updatedAt: now });
  }

  async markFailed(attempt: AttemptRef, reason: string, now: Date): Promise<Ticket | undefined> {
    return this.updateClaimed(attempt, { status: 'failed', lastError: reason, updatedAt: now });
  }

  async saveCardLocation(id: number, location: { channelId: string; ts: string }): Promise<void> {
    await this.db
      .update(tickets)
      .set({ cardChannelId: location.channelId, cardTs: location.ts })
      .where(eq(tickets.id, id));
  }

  async applyDeskUpdate(update: TicketDeskUpdate, now: Date): Promise<Ticket | undefined> {
    const [row] = await this.db
      .update(tickets)
      .set({
        ...(update.externalStatus ? { externalStatus: update.externalStatus } : {}),
        ...(update.externalNumber ? { externalNumber: update.externalNumber } : {}),
        ...(update.lastReply
          ? { lastReplyAt: update.lastReply.at, lastReplyText: update.lastReply.text }
          : {}),
        updatedAt: now,
      })
      .where(eq(tickets.externalId, update.externalId))
      .returning();
    return row ? toTicket(row) : undefined;
  }

  private async updateClaimed(
    attempt: AttemptRef,
    values: Partial<typeof tickets.$inferInsert>,
  ): Promise<Ticket | undefined> {
    const [row] = await this.db
      .update(tickets)
      .set(values)
      .where(
        and(
          eq(tickets.id, attempt.id),
          eq(tickets.status, 'pending'),
          eq(tickets.attempts, attempt.attempts),
        ),
      )
      .returning();
    return row ? toTicket(row) : undefined;
  }
}

const STATUSES: readonly TicketStatus[] = ['pending', 'created', 'failed', 'local'];
const REASONS: readonly TicketReason[] = ['asked', 'no_answer', 'urgent'];
const PRIORITIES: readonly TicketPriority[] = ['low', 'normal', 'high', 'urgent'];
const TYPES: readonly TicketType[] = ['email', 'chat', 'phone'];

function oneOf<T extends string>(value: string, allowed: readonly T[], fallback: T): T {
  return (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

export function toTicket(row: TicketRow): Ticket {
  return {
    id: row.id,
    idempotencyKey: row.idempotencyKey,
    questionId: row.questionId ?? undefined,
    status: oneOf(row.status, STATUSES, 'pending'),
    reason: oneOf(row.reason, REASONS, 'asked'),
    subject: row.subject,
    message: row.message,
    customerEmail: row.customerEmail ?? undefined,
    priority: oneOf(row.priority, PRIORITIES, 'normal'),
    type: oneOf(row.type, TYPES, 'email'),
    requesterId: row.requesterId ?? undefined,
    desk: row.desk ?? undefined,
    externalId: row.externalId ?? undefined,
    externalNumber: row.externalNumber ?? undefined,
    externalUrl: row.externalUrl ?? undefined,
    externalStatus: row.externalStatus ?? undefined,
    lastReplyAt: row.lastReplyAt ?? undefined,
    lastReplyText: row.lastReplyText ?? undefined,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    lastError: row.lastError ?? undefined,
    filedAt: row.filedAt ?? undefined,
    card: {
      responseUrl: row.responseUrl ?? undefined,
      channelId: row.cardChannelId ?? undefined,
      ts: row.cardTs ?? undefined,
    },
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
