import { and, asc, count, eq, getTableColumns, gte, min, type SQL, sql } from 'drizzle-orm';
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
    await insertQuestionStatement(this.db).execute(questionParams(question));
  }

  async saveQuestionWithinLimit(
    question: Question,
    since: Date,
    limit: number,
  ): Promise<{ stored: boolean; count: number; oldest?: Date }> {
    const { admitQuestion, admitQuestionInTeam } = statements(this.db);
    const params: Record<string, unknown> = {
      ...questionParams(question),
      // Not mapped through the columns (a placeholder in a select or a condition): dates go as ISO text.
      createdAt: question.createdAt.toISOString(),
      since: since.toISOString(),
      limit,
    };
    const [row] = question.teamId
      ? await admitQuestionInTeam.execute(params)
      : await admitQuestion.execute(params);
    return {
      stored: Number(row?.stored ?? 0) > 0,
      count: Number(row?.count ?? 0),
      oldest: row?.oldest ? new Date(row.oldest) : undefined,
    };
  }

  async saveAnswer(answer: Answer): Promise<void> {
    const { question } = answer;
    const params: Record<string, unknown> = {
      id: question.id,
      answeredAt: new Date(question.createdAt.getTime() + answer.tookMs),
      answerMs: answer.tookMs,
      found: answer.found,
      topScore: answer.hits[0]?.relevance ?? 0,
      hitCount: answer.lookups.reduce((sum, lookup) => sum + lookup.hits.length, 0),
      hits: [...answer.hits, ...(answer.related ?? []).map((hit): StoredHit => ({ ...hit, nearMiss: true }))],
      createdAt: question.createdAt,
    };
    answer.lookups.forEach((lookup, i) => {
      params[`source${i}`] = lookup.source;
      params[`status${i}`] = lookup.status;
      params[`hits${i}`] = lookup.hits.length;
      params[`latencyMs${i}`] = lookup.latencyMs;
      params[`error${i}`] = lookup.error ?? null;
    });
    await saveAnswerStatement(this.db, answer.lookups.length).execute(params);
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

/** A question's values for the statements that insert it, by column key. */
function questionParams(question: Question): Record<(typeof QUESTION_COLUMNS)[number], unknown> {
  return {
    id: question.id,
    createdAt: question.createdAt,
    entryPoint: question.entryPoint,
    text: question.text,
    textTruncated: question.truncated,
    fingerprint: question.fingerprint,
    askerId: question.askerId,
    teamId: question.teamId ?? null,
    channelId: question.channelId ?? null,
    channelKind: question.channelKind,
    threadTs: question.threadTs ?? null,
    messageTs: question.messageTs ?? null,
    permalink: question.permalink ?? null,
    responseUrl: question.responseUrl ?? null,
    parentQuestionId: question.parentQuestionId ?? null,
    urgency: question.triage.urgency,
    category: question.triage.category,
  };
}

/**
 * Saving an answer is one statement, so one round trip and atomic without a transaction: the
 * question is marked answered and its lookups replaced (a retried write must not double them).
 * The delete sees only the rows from before this statement, never the ones it inserts. Built
 * once per number of lookups (one per knowledge source).
 */
function buildSaveAnswer(db: Db, lookupCount: number) {
  const answered = db.$with('answered').as(
    db
      .update(questions)
      .set(
        // Placeholders stand for the typed values (drizzle maps them through each column when filled).
        {
          status: 'answered',
          answeredAt: sql.placeholder('answeredAt'),
          answerMs: sql.placeholder('answerMs'),
          found: sql.placeholder('found'),
          topScore: sql.placeholder('topScore'),
          hitCount: sql.placeholder('hitCount'),
          hits: sql.placeholder('hits'),
        } as unknown as Partial<typeof questions.$inferInsert>,
      )
      .where(eq(questions.id, sql.placeholder('id')))
      .returning({ id: questions.id }),
  );
  const cleared = db.$with('cleared').as(
    db
      .delete(lookups)
      .where(eq(lookups.questionId, sql.placeholder('id')))
      .returning({ id: lookups.id }),
  );
  if (lookupCount === 0)
    return db.with(answered, cleared).select({ id: answered.id }).from(answered).prepare('save_answer_0');
  const rows = Array.from({ length: lookupCount }, (_, i) => ({
    questionId: sql.placeholder('id'),
    createdAt: sql.placeholder('createdAt'),
    source: sql.placeholder(`source${i}`),
    status: sql.placeholder(`status${i}`),
    hits: sql.placeholder(`hits${i}`),
    latencyMs: sql.placeholder(`latencyMs${i}`),
    error: sql.placeholder(`error${i}`),
  }));
  return db
    .with(answered, cleared)
    .insert(lookups)
    .values(rows as unknown as Array<typeof lookups.$inferInsert>) // placeholders stand for the typed values
    .prepare(`save_answer_${lookupCount}`);
}

type SaveAnswer = ReturnType<typeof buildSaveAnswer>;
const savedAnswerStatements = new WeakMap<Db, Map<number, SaveAnswer>>();

function saveAnswerStatement(db: Db, lookupCount: number): SaveAnswer {
  let byCount = savedAnswerStatements.get(db);
  if (!byCount) {
    byCount = new Map();
    savedAnswerStatements.set(db, byCount);
  }
  let statement = byCount.get(lookupCount);
  if (!statement) {
    statement = buildSaveAnswer(db, lookupCount);
    byCount.set(lookupCount, statement);
  }
  return statement;
}

// The statements every question runs, built once per database rather than once per question:
// building a drizzle query costs more CPU than Postgres spends running these.
const prepared = new WeakMap<
  Db,
  {
    insertQuestion: InsertQuestion;
    admitQuestion: AdmitQuestion;
    admitQuestionInTeam: AdmitQuestion;
  }
>();

function statements(db: Db) {
  let built = prepared.get(db);
  if (!built) {
    built = {
      insertQuestion: buildInsertQuestion(db),
      admitQuestion: buildAdmitQuestion(db, false),
      admitQuestionInTeam: buildAdmitQuestion(db, true),
    };
    prepared.set(db, built);
  }
  return built;
}

const insertQuestionStatement = (db: Db) => statements(db).insertQuestion;

type InsertQuestion = ReturnType<typeof buildInsertQuestion>;
type AdmitQuestion = ReturnType<typeof buildAdmitQuestion>;

const QUESTION_COLUMNS = [
  'id',
  'createdAt',
  'entryPoint',
  'text',
  'textTruncated',
  'fingerprint',
  'askerId',
  'teamId',
  'channelId',
  'channelKind',
  'threadTs',
  'messageTs',
  'permalink',
  'responseUrl',
  'parentQuestionId',
  'urgency',
  'category',
] as const;

function buildInsertQuestion(db: Db) {
  const values = Object.fromEntries(QUESTION_COLUMNS.map((column) => [column, sql.placeholder(column)]));
  return db
    .insert(questions)
    .values(values as unknown as typeof questions.$inferInsert) // placeholders stand for the typed values
    .onConflictDoNothing({ target: questions.id })
    .prepare('insert_question');
}

/**
 * The rate limit's count and the question's insert in one statement: the question is inserted only
 * when its asker asked fewer than `limit` since `since`, and the statement returns the count it was
 * judged on. (Under READ COMMITTED two such statements for one person running at once do not see
 * each other's row; the service runs one person's at a time.)
 */
function buildAdmitQuestion(db: Db, withTeam: boolean) {
  const recent = db.$with('recent').as(
    db
      .select({ count: count().as('count'), oldest: min(questions.createdAt).as('oldest') })
      .from(questions)
      .where(
        and(
          eq(questions.askerId, sql.placeholder('askerId')),
          gte(questions.createdAt, sql.placeholder('since')),
          withTeam ? eq(questions.teamId, sql.placeholder('teamId')) : undefined,
        ),
      ),
  );
  // An insert from a select lists every column of the table, in its order: the question's values
  // (cast, as a select does not map them through the columns), 'received', and nulls for the answer.
  const given = new Set<string>(QUESTION_COLUMNS);
  const values: SQL[] = Object.entries(getTableColumns(questions)).map(([key, column]) =>
    given.has(key)
      ? sql`${sql.placeholder(key)}::${sql.raw(column.getSQLType())}`
      : key === 'status'
        ? sql`'received'`
        : sql`null`,
  );
  const stored = db.$with('stored').as(
    db
      .insert(questions)
      .select(
        sql`select ${sql.join(values, sql`, `)} from ${recent} where ${recent.count} < ${sql.placeholder('limit')}::int`,
      )
      .onConflictDoNothing({ target: questions.id })
      .returning({ id: questions.id }),
  );
  return db
    .with(recent, stored)
    .select({
      count: recent.count,
      oldest: recent.oldest,
      stored: sql<number>`(select count(*) from ${stored})`.mapWith(Number),
    })
    .from(recent)
    .prepare(withTeam ? 'admit_question_in_team' : 'admit_question');
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
