import { and, asc, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import type {
  AdditionAttempt,
  NewThreadAddition,
  TicketThreadStore,
} from '../../support/ticket-sync/ports.js';
import type {
  AdditionDirection,
  AdditionKind,
  AdditionStatus,
  ThreadAddition,
  TicketThreadLink,
} from '../../support/ticket-sync/types.js';
import type { Db } from '../client.js';
import { threadAdditions, ticketThreads } from '../schema/index.js';

type LinkRow = typeof ticketThreads.$inferSelect;
type AdditionRow = typeof threadAdditions.$inferSelect;

/** `ticket_threads` and the `thread_additions` outbox; every outcome recorded only by the current claim. */
export class DrizzleTicketThreadStore implements TicketThreadStore {
  constructor(private readonly db: Db) {}

  async link(link: TicketThreadLink): Promise<TicketThreadLink> {
    await this.db.insert(ticketThreads).values(link).onConflictDoNothing({ target: ticketThreads.ticketId });
    return (await this.findByTicket(link.ticketId)) as TicketThreadLink;
  }

  async findByThread(channelId: string, threadTs: string): Promise<TicketThreadLink | undefined> {
    const [row] = await this.db
      .select()
      .from(ticketThreads)
      .where(and(eq(ticketThreads.channelId, channelId), eq(ticketThreads.threadTs, threadTs)))
      .orderBy(desc(ticketThreads.id))
      .limit(1);
    return row ? toLink(row) : undefined;
  }

  async findByTicket(ticketId: number): Promise<TicketThreadLink | undefined> {
    const [row] = await this.db
      .select()
      .from(ticketThreads)
      .where(eq(ticketThreads.ticketId, ticketId))
      .limit(1);
    return row ? toLink(row) : undefined;
  }

  async enqueue(addition: NewThreadAddition): Promise<{ addition: ThreadAddition; inserted: boolean }> {
    const [row] = await this.db
      .insert(threadAdditions)
      .values(addition)
      .onConflictDoNothing({ target: threadAdditions.idempotencyKey })
      .returning();
    if (row) return { addition: toAddition(row), inserted: true };
    const [existing] = await this.db
      .select()
      .from(threadAdditions)
      .where(eq(threadAdditions.idempotencyKey, addition.idempotencyKey))
      .limit(1);
    if (!existing)
      throw new Error(`thread addition ${addition.idempotencyKey} was neither inserted nor found`);
    return { addition: toAddition(existing), inserted: false };
  }

  async claimDue(limit: number, now: Date, leaseMs: number): Promise<ThreadAddition[]> {
    return this.db.transaction(async (tx) => {
      const due = await tx
        .select({ id: threadAdditions.id })
        .from(threadAdditions)
        .where(and(eq(threadAdditions.status, 'pending'), lte(threadAdditions.nextAttemptAt, now)))
        .orderBy(asc(threadAdditions.nextAttemptAt), asc(threadAdditions.id))
        .limit(limit)
        .for('update', { skipLocked: true });
      if (due.length === 0) return [];
      const rows = await tx
        .update(threadAdditions)
        .set({
          attempts: sql`${threadAdditions.attempts} + 1`,
          nextAttemptAt: new Date(now.getTime() + leaseMs),
        })
        .where(
          inArray(
            threadAdditions.id,
            due.map((row) => row.id),
          ),
        )
        .returning();
      // Oldest first, so a thread's replies reach the desk in the order they were written.
      return rows.map(toAddition).sort((a, b) => a.id - b.id);
    });
  }

  markSent(
    attempt: AdditionAttempt,
    result: { slackTs?: string; externalThreadId?: string },
    now: Date,
  ): Promise<ThreadAddition | undefined> {
    return this.updateClaimed(attempt, {
      status: 'sent',
      sentAt: now,
      lastError: null,
      ...(result.slackTs ? { slackTs: result.slackTs } : {}),
      ...(result.externalThreadId ? { externalThreadId: result.externalThreadId } : {}),
    });
  }

  scheduleRetry(
    attempt: AdditionAttempt,
    error: string,
    nextAttemptAt: Date,
  ): Promise<ThreadAddition | undefined> {
    return this.updateClaimed(attempt, { lastError: error, nextAttemptAt });
  }

  markFailed(attempt: AdditionAttempt, reason: string): Promise<ThreadAddition | undefined> {
    return this.updateClaimed(attempt, { status: 'failed', lastError: reason });
  }

  async postedBySync(channelId: string, ts: string): Promise<boolean> {
    const [row] = await this.db
      .select({ id: threadAdditions.id })
      .from(threadAdditions)
      .where(
        and(
          eq(threadAdditions.channelId, channelId),
          eq(threadAdditions.slackTs, ts),
          eq(threadAdditions.direction, 'to_slack'),
        ),
      )
      .limit(1);
    return row !== undefined;
  }

  async createdBySync(ticketId: number, externalThreadId: string): Promise<boolean> {
    const [row] = await this.db
      .select({ id: threadAdditions.id })
      .from(threadAdditions)
      .where(
        and(
          eq(threadAdditions.ticketId, ticketId),
          eq(threadAdditions.externalThreadId, externalThreadId),
          eq(threadAdditions.direction, 'to_desk'),
        ),
      )
      .limit(1);
    return row !== undefined;
  }

  private async updateClaimed(
    attempt: AdditionAttempt,
    values: Partial<typeof threadAdditions.$inferInsert>,
  ): Promise<ThreadAddition | undefined> {
    const [row] = await this.db
      .update(threadAdditions)
      .set(values)
      .where(
        and(
          eq(threadAdditions.id, attempt.id),
          eq(threadAdditions.status, 'pending'),
          eq(threadAdditions.attempts, attempt.attempts),
        ),
      )
      .returning();
    return row ? toAddition(row) : undefined;
  }
}

function toLink(row: LinkRow): TicketThreadLink {
  return {
    teamId: row.teamId,
    ticketId: row.ticketId,
    channelId: row.channelId,
    threadTs: row.threadTs,
    askerId: row.askerId,
    afterTs: row.afterTs,
  };
}

function toAddition(row: AdditionRow): ThreadAddition {
  return {
    id: row.id,
    teamId: row.teamId,
    idempotencyKey: row.idempotencyKey,
    ticketId: row.ticketId,
    direction: row.direction as AdditionDirection,
    kind: row.kind as AdditionKind,
    channelId: row.channelId,
    threadTs: row.threadTs,
    slackTs: row.slackTs ?? undefined,
    externalThreadId: row.externalThreadId ?? undefined,
    authorId: row.authorId ?? undefined,
    authorName: row.authorName ?? undefined,
    text: row.text,
    status: row.status as AdditionStatus,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    lastError: row.lastError ?? undefined,
    createdAt: row.createdAt,
    sentAt: row.sentAt ?? undefined,
  };
}
