import { and, asc, eq, inArray, isNull, lte, ne, or } from 'drizzle-orm';
import type {
  NewRequest,
  RequestEvent,
  RequestStatus,
  RequestStore,
  RequestVia,
  StatusChange,
  SupportRequest,
} from '../../support/requests/index.js';
import type { ChannelKind } from '../../support/types.js';
import type { Db } from '../client.js';
import { requestEvents, requests } from '../schema/index.js';

type RequestRow = typeof requests.$inferSelect;
type EventRow = typeof requestEvents.$inferSelect;

/**
 * Requests in Postgres. Opening is an insert on the thread's unique key; every status change locks
 * the row, checks its conditions and writes the change with its event in one transaction, so two
 * replicas, two clicks or a click and an emoji at once still give one owner.
 */
export class DrizzleRequestStore implements RequestStore {
  constructor(private readonly db: Db) {}

  async open(request: NewRequest): Promise<{ request: SupportRequest; created: boolean }> {
    return this.db.transaction(async (tx) => {
      const [inserted] = await tx
        .insert(requests)
        .values({ ...request, status: 'open', updatedAt: request.createdAt })
        .onConflictDoNothing({ target: [requests.teamId, requests.channelId, requests.rootTs] })
        .returning();
      if (inserted) {
        await tx.insert(requestEvents).values({
          requestId: inserted.id,
          at: request.createdAt,
          actorId: request.askerId,
          kind: 'created',
          via: 'message',
          toStatus: 'open',
        });
        return { request: toRequest(inserted), created: true };
      }
      const [existing] = await tx
        .select()
        .from(requests)
        .where(
          and(
            eq(requests.teamId, request.teamId),
            eq(requests.channelId, request.channelId),
            eq(requests.rootTs, request.rootTs),
          ),
        );
      if (!existing) throw new Error('request vanished between insert and select');
      return { request: toRequest(existing), created: false };
    });
  }

  async findById(id: number): Promise<SupportRequest | undefined> {
    const [row] = await this.db.select().from(requests).where(eq(requests.id, id));
    return row && toRequest(row);
  }

  async findByMessage(teamId: string, channelId: string, ts: string): Promise<SupportRequest | undefined> {
    const [row] = await this.db
      .select()
      .from(requests)
      .where(
        and(
          eq(requests.teamId, teamId),
          eq(requests.channelId, channelId),
          or(eq(requests.rootTs, ts), eq(requests.replyTs, ts)),
        ),
      )
      .limit(1);
    return row && toRequest(row);
  }

  async findByThread(teamId: string, channelId: string, rootTs: string): Promise<SupportRequest | undefined> {
    const [row] = await this.db
      .select()
      .from(requests)
      .where(
        and(eq(requests.teamId, teamId), eq(requests.channelId, channelId), eq(requests.rootTs, rootTs)),
      );
    return row && toRequest(row);
  }

  async findByQuestion(questionId: string): Promise<SupportRequest | undefined> {
    const [row] = await this.db.select().from(requests).where(eq(requests.questionId, questionId)).limit(1);
    return row && toRequest(row);
  }

  async setReply(id: number, reply: { replyTs?: string; questionId?: string }): Promise<void> {
    const values: Partial<typeof requests.$inferInsert> = {};
    if (reply.replyTs) values.replyTs = reply.replyTs;
    if (reply.questionId) values.questionId = reply.questionId;
    if (Object.keys(values).length === 0) return;
    try {
      // One statement: a reader (a click on the card, another replica) never sees the reply
      // without its question.
      await this.db.update(requests).set(values).where(eq(requests.id, id));
    } catch (error) {
      // After an outage the question row can still be waiting in the write buffer: the request
      // keeps its reply, and its question is found through the thread instead.
      if (!isForeignKeyViolation(error)) throw error;
      if (reply.replyTs)
        await this.db.update(requests).set({ replyTs: reply.replyTs }).where(eq(requests.id, id));
    }
  }

  async changeStatus(id: number, change: StatusChange): Promise<SupportRequest | undefined> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.select().from(requests).where(eq(requests.id, id)).for('update');
      if (!row) return undefined;
      if (!change.from.includes(row.status as RequestStatus)) return undefined;
      if (change.onlyIfUntaken && row.takenBy !== null) return undefined;
      if (change.onlyIfTakenBy !== undefined && row.takenBy !== change.onlyIfTakenBy) return undefined;
      if (change.onlyIfResolvedBy !== undefined && row.resolvedBy !== change.onlyIfResolvedBy)
        return undefined;
      const values: Partial<typeof requests.$inferInsert> = { status: change.to, updatedAt: change.at };
      if (change.takenBy !== undefined) {
        values.takenBy = change.takenBy;
        values.takenAt = change.takenBy === null ? null : change.at;
      }
      if (change.to === 'resolved') {
        values.resolvedAt = change.at;
        values.resolvedBy = change.resolvedBy ?? null;
      } else if (row.status === 'resolved') {
        values.resolvedAt = null;
        values.resolvedBy = null;
      }
      const [updated] = await tx.update(requests).set(values).where(eq(requests.id, id)).returning();
      await tx.insert(requestEvents).values({
        requestId: id,
        at: change.at,
        actorId: change.actorId ?? null,
        kind: change.kind,
        via: change.via,
        fromStatus: row.status,
        toStatus: change.to,
      });
      return updated && toRequest(updated);
    });
  }

  async recordFirstResponse(id: number, userId: string, at: Date): Promise<SupportRequest | undefined> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .update(requests)
        .set({ firstResponseAt: at, firstResponseBy: userId, updatedAt: at })
        .where(and(eq(requests.id, id), isNull(requests.firstResponseAt)))
        .returning();
      if (!row) return undefined;
      await tx.insert(requestEvents).values({
        requestId: id,
        at,
        actorId: userId,
        kind: 'first_response',
        via: 'reply',
        detail: { afterMs: at.getTime() - row.createdAt.getTime() },
      });
      return toRequest(row);
    });
  }

  async addEvent(event: RequestEvent): Promise<void> {
    await this.db.insert(requestEvents).values({
      requestId: event.requestId,
      at: event.at,
      actorId: event.actorId ?? null,
      kind: event.kind,
      via: event.via ?? null,
      fromStatus: event.fromStatus ?? null,
      toStatus: event.toStatus ?? null,
      detail: event.detail ?? null,
    });
  }

  async events(id: number): Promise<RequestEvent[]> {
    const rows = await this.db
      .select()
      .from(requestEvents)
      .where(eq(requestEvents.requestId, id))
      .orderBy(asc(requestEvents.at), asc(requestEvents.id));
    return rows.map(toEvent);
  }

  async claimBreaches(now: Date, limit: number): Promise<SupportRequest[]> {
    return this.db.transaction(async (tx) => {
      const due = tx
        .select({ id: requests.id })
        .from(requests)
        .where(
          and(
            isNull(requests.firstResponseAt),
            isNull(requests.breachedAt),
            ne(requests.status, 'resolved'),
            lte(requests.slaDueAt, now),
          ),
        )
        .orderBy(asc(requests.slaDueAt))
        .limit(limit)
        .for('update', { skipLocked: true });
      // The conditions are checked again on the locked rows: one answered or claimed meanwhile is left alone.
      const rows = await tx
        .update(requests)
        .set({ breachedAt: now })
        .where(
          and(
            inArray(requests.id, due),
            isNull(requests.firstResponseAt),
            isNull(requests.breachedAt),
            ne(requests.status, 'resolved'),
          ),
        )
        .returning();
      if (rows.length > 0) {
        await tx.insert(requestEvents).values(
          rows.map((row) => ({
            requestId: row.id,
            at: now,
            kind: 'breached',
            via: 'sla',
            detail: { dueAt: row.slaDueAt.toISOString() },
          })),
        );
      }
      return rows.map(toRequest);
    });
  }

  async releaseBreach(id: number, claimedAt: Date): Promise<void> {
    await this.db.transaction(async (tx) => {
      const released = await tx
        .update(requests)
        .set({ breachedAt: null })
        .where(and(eq(requests.id, id), eq(requests.breachedAt, claimedAt)))
        .returning({ id: requests.id });
      if (released.length > 0)
        await tx
          .delete(requestEvents)
          .where(
            and(
              eq(requestEvents.requestId, id),
              eq(requestEvents.kind, 'breached'),
              eq(requestEvents.at, claimedAt),
            ),
          );
    });
  }

  async setAlert(id: number, alert: { channelId: string; ts?: string }): Promise<void> {
    await this.db
      .update(requests)
      .set({ alertChannelId: alert.channelId, alertTs: alert.ts ?? null })
      .where(eq(requests.id, id));
  }
}

export function toRequest(row: RequestRow): SupportRequest {
  return {
    id: row.id,
    teamId: row.teamId,
    channelId: row.channelId,
    rootTs: row.rootTs,
    askerId: row.askerId,
    channelKind: row.channelKind as ChannelKind,
    text: row.text,
    status: row.status as RequestStatus,
    takenBy: row.takenBy ?? undefined,
    takenAt: row.takenAt ?? undefined,
    firstResponseAt: row.firstResponseAt ?? undefined,
    firstResponseBy: row.firstResponseBy ?? undefined,
    resolvedAt: row.resolvedAt ?? undefined,
    resolvedBy: row.resolvedBy ?? undefined,
    slaDueAt: row.slaDueAt,
    breachedAt: row.breachedAt ?? undefined,
    alertChannelId: row.alertChannelId ?? undefined,
    alertTs: row.alertTs ?? undefined,
    replyTs: row.replyTs ?? undefined,
    questionId: row.questionId ?? undefined,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function toEvent(row: EventRow): RequestEvent {
  return {
    requestId: row.requestId,
    at: row.at,
    actorId: row.actorId ?? undefined,
    kind: row.kind as RequestEvent['kind'],
    via: (row.via ?? undefined) as RequestVia | undefined,
    fromStatus: (row.fromStatus ?? undefined) as RequestStatus | undefined,
    toStatus: (row.toStatus ?? undefined) as RequestStatus | undefined,
    detail: row.detail ?? undefined,
  };
}

function isForeignKeyViolation(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } }).cause;
  return (error as { code?: string }).code === '23503' || cause?.code === '23503';
}
