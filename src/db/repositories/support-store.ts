import { and, asc, count, eq, gte, min } from 'drizzle-orm';
import type { SupportStore } from '../../support/ports.js';
import type {
  Answer,
  ChannelKind,
  EntryPoint,
  FeedbackKind,
  LookupStatus,
  Question,
  RankedHit,
  Urgency,
} from '../../support/types.js';
import type { Db } from '../client.js';
import { feedback, lookups, questions, replyAudits } from '../schema/index.js';

type QuestionRow = typeof questions.$inferSelect;
/** How `questions.hits` keeps the near misses apart from the cited sources. */
type StoredHit = RankedHit & { nearMiss?: true };

/** The workflow's storage in Postgres. Writes are idempotent so a retried write never duplicates a row. */
export class DrizzleSupportStore implements SupportStore {
  constructor(private readonly db: Db) {}

  async saveQuestion(question: Question): Promise<void> {
    await this.db
      .insert(questions)
      .values({
        id: question.id,
        createdAt: question.createdAt,
        entryPoint: question.entryPoint,
        text: question.text,
        textTruncated: question.truncated,
        fingerprint: question.fingerprint,
        askerId: question.askerId,
        teamId: question.teamId,
        channelId: question.channelId,
        channelKind: question.channelKind,
        threadTs: question.threadTs,
        messageTs: question.messageTs,
        permalink: question.permalink,
        responseUrl: question.responseUrl,
        parentQuestionId: question.parentQuestionId,
        urgency: question.triage.urgency,
        category: question.triage.category,
      })
      .onConflictDoNothing({ target: questions.id });
  }

  async saveAnswer(answer: Answer): Promise<void> {
    const { question } = answer;
    await this.db.transaction(async (tx) => {
      await tx
        .update(questions)
        .set({
          status: 'answered',
          answeredAt: new Date(question.createdAt.getTime() + answer.tookMs),
          answerMs: answer.tookMs,
          found: answer.found,
          topScore: answer.hits[0]?.relevance ?? 0,
          hitCount: answer.lookups.reduce((sum, lookup) => sum + lookup.hits.length, 0),
          hits: [
            ...answer.hits,
            ...(answer.related ?? []).map((hit): StoredHit => ({ ...hit, nearMiss: true })),
          ],
        })
        .where(eq(questions.id, question.id));
      // A retried write must not double the lookups: they are written once, with the answer.
      await tx.delete(lookups).where(eq(lookups.questionId, question.id));
      if (answer.lookups.length > 0) {
        await tx.insert(lookups).values(
          answer.lookups.map((lookup) => ({
            questionId: question.id,
            createdAt: question.createdAt,
            source: lookup.source,
            status: lookup.status,
            hits: lookup.hits.length,
            latencyMs: lookup.latencyMs,
            error: lookup.error,
          })),
        );
      }
    });
  }

  async markFailed(questionId: string): Promise<void> {
    await this.db
      .update(questions)
      .set({ status: 'failed', found: false })
      .where(eq(questions.id, questionId));
  }

  async findQuestion(questionId: string): Promise<Question | undefined> {
    if (!isUuid(questionId)) return undefined;
    const [row] = await this.db.select().from(questions).where(eq(questions.id, questionId)).limit(1);
    return row ? toQuestion(row) : undefined;
  }

  async findAnswer(questionId: string): Promise<Answer | undefined> {
    if (!isUuid(questionId)) return undefined;
    const [row] = await this.db.select().from(questions).where(eq(questions.id, questionId)).limit(1);
    if (!row) return undefined;
    const lookupRows = await this.db
      .select()
      .from(lookups)
      .where(eq(lookups.questionId, questionId))
      .orderBy(asc(lookups.id));
    const stored = (row.hits ?? []) as StoredHit[];
    const hits = stored.filter((hit) => !hit.nearMiss);
    const related = stored.filter((hit) => hit.nearMiss).map(({ nearMiss: _nearMiss, ...hit }) => hit);
    const [audit] = await this.db
      .select({ reply: replyAudits.reply })
      .from(replyAudits)
      .where(eq(replyAudits.questionId, questionId))
      .limit(1);
    return {
      question: toQuestion(row),
      hits,
      related,
      ...(audit?.reply && row.found ? { reply: audit.reply } : {}),
      found: row.found ?? false,
      tookMs: row.answerMs ?? 0,
      lookups: lookupRows.map((lookup) => ({
        source: lookup.source,
        label: lookup.source,
        status: lookup.status as LookupStatus,
        hits: hits.filter((hit) => hit.source === lookup.source),
        latencyMs: lookup.latencyMs,
        error: lookup.error ?? undefined,
      })),
    };
  }

  async saveFeedback(questionId: string, userId: string, kind: FeedbackKind): Promise<boolean> {
    const inserted = await this.db
      .insert(feedback)
      .values({ questionId, userId, kind })
      .onConflictDoNothing()
      .returning({ id: feedback.id });
    return inserted.length > 0;
  }

  countRecentQuestions(
    askerId: string,
    since: Date,
    teamId?: string,
  ): Promise<{ count: number; oldest?: Date }> {
    return countRecent(this.db, askerId, since, teamId);
  }

  async saveCardLocation(
    questionId: string,
    location: { channelId?: string; ts?: string; responseUrl?: string },
  ): Promise<void> {
    await this.db
      .update(questions)
      .set({
        ...(location.channelId ? { cardChannelId: location.channelId } : {}),
        ...(location.ts ? { cardTs: location.ts } : {}),
        ...(location.responseUrl ? { responseUrl: location.responseUrl } : {}),
      })
      .where(eq(questions.id, questionId));
  }
}

export async function countRecent(
  db: Db,
  askerId: string,
  since: Date,
  teamId?: string,
): Promise<{ count: number; oldest?: Date }> {
  const [row] = await db
    .select({ count: count(), oldest: min(questions.createdAt) })
    .from(questions)
    .where(
      and(
        eq(questions.askerId, askerId),
        gte(questions.createdAt, since),
        teamId ? eq(questions.teamId, teamId) : undefined,
      ),
    );
  return { count: Number(row?.count ?? 0), oldest: row?.oldest ? new Date(row.oldest) : undefined };
}

function toQuestion(row: QuestionRow): Question {
  return {
    id: row.id,
    text: row.text,
    truncated: row.textTruncated,
    fingerprint: row.fingerprint,
    entryPoint: row.entryPoint as EntryPoint,
    askerId: row.askerId,
    teamId: row.teamId ?? undefined,
    channelId: row.channelId ?? undefined,
    channelKind: row.channelKind as ChannelKind,
    threadTs: row.threadTs ?? undefined,
    messageTs: row.messageTs ?? undefined,
    permalink: row.permalink ?? undefined,
    responseUrl: row.responseUrl ?? undefined,
    parentQuestionId: row.parentQuestionId ?? undefined,
    triage: { urgency: row.urgency as Urgency, category: row.category, matched: [] },
    createdAt: row.createdAt,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Button values come from outside; a malformed id must read as "not found", not as a database error. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
