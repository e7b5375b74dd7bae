import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { type AnswerSlices, unsliced } from './answer-slices.js';
import { AnswerTurns, type LoopLagProbe, TurnsFullError } from './answer-turns.js';
import { type Clock, type KnowledgeSource, type SupportStore, systemClock } from './ports.js';
import { decideFound, rankHits } from './ranking.js';
import { ReplyWriter } from './replies/index.js';
import type { Reranker } from './reranking/index.js';
import { fingerprint, truncate } from './text.js';
import { neutralTriager, type Triager } from './triage.js';
import type {
  Answer,
  FeedbackKind,
  KnowledgeHit,
  Question,
  QuestionInput,
  RankedHit,
  SourceLookup,
} from './types.js';

export interface SupportServiceOptions {
  /** Where questions are looked up; a function is asked again for every question (sources that come and go). */
  sources: readonly KnowledgeSource[] | (() => readonly KnowledgeSource[]);
  store: SupportStore;
  logger: Logger;
  triager?: Triager;
  clock?: Clock;
  /** A source that has not answered by then is reported as timed out; the answer does not wait longer. */
  lookupDeadlineMs: number;
  questionMaxChars: number;
  /** How many ranked hits the reply and the "might also help" links are chosen from. */
  answerLimit?: number;
  /** Writes the reply at the top of the card; an extractive writer by default. */
  replies?: ReplyWriter;
  /** How many hits to ask each source for. */
  perSourceLimit?: number;
  /** Questions one person may ask per minute; 0 turns the limit off. */
  questionsPerMinute?: number;
  /** Reorders the lexical ranking before the found decision (embeddings); unset: lexical only. */
  reranker?: Reranker;
  /**
   * The most questions looked up and answered at once; the others wait their turn, first come
   * first served, their question already stored. Unset: no limit.
   */
  maxConcurrentAnswers?: number;
  /**
   * With a limit, the event loop's lag: fewer answers go on at once while it is late, so that
   * requests are still read and acknowledged in time (see AnswerTurns). Unset: the limit is fixed.
   */
  loopLag?: LoopLagProbe;
  /** How many may wait for a turn before another is turned away as `TooBusyError` (10 000 by default). */
  maxWaitingAnswers?: number;
  /** Where each step of an answer waits for its slice of the process's time; unset: no waiting. */
  slices?: AnswerSlices;
}

/**
 * More questions wait for a turn than deskhand keeps waiting: this one was stored and marked failed,
 * and the asker should try again in a minute.
 */
export class TooBusyError extends Error {
  override name = 'TooBusyError';
}

export type RateLimitVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** The support workflow: take a question, search every source at once, rank, store, answer. */
export class SupportService {
  private readonly triager: Triager;
  private readonly clock: Clock;
  private readonly replies: ReplyWriter;
  /**
   * Questions the rate limit stored as it let them through (its count and the insert are one
   * statement): `ask` does not store them again. Keyed by the object, so nothing is kept for a
   * question that is never asked.
   */
  private readonly storedOnAdmission = new WeakSet<Question>();
  /** Per person, the admission under way: one person's run one at a time (see checkRateLimit). */
  private readonly admitting = new Map<string, Promise<void>>();
  /**
   * Turns to answer, and how many may answer and wait at once. Under a burst beyond what the
   * process can answer, unbounded concurrency puts every question in flight at once (their state,
   * their sockets); with turns, the answers come out in order and the work in flight stays bounded.
   */
  private readonly turns: AnswerTurns | undefined;
  private readonly slices: AnswerSlices;

  constructor(private readonly options: SupportServiceOptions) {
    this.triager = options.triager ?? neutralTriager;
    this.clock = options.clock ?? systemClock;
    this.replies = options.replies ?? new ReplyWriter({ logger: options.logger });
    this.slices = options.slices ?? unsliced;
    if (options.maxConcurrentAnswers)
      this.turns = new AnswerTurns({
        max: options.maxConcurrentAnswers,
        maxWaiting: options.maxWaitingAnswers ?? 10_000,
        lag: options.loopLag,
      });
  }

  /** Questions being answered now, and waiting for a turn. */
  get load(): { answering: number; waiting: number } {
    return this.turns?.load ?? { answering: 0, waiting: 0 };
  }

  /** How many questions may be answered at once now (0: no limit). */
  get turnLimit(): number {
    return this.turns?.limit ?? 0;
  }

  /** The knowledge sources as they are now. */
  get sources(): readonly KnowledgeSource[] {
    const { sources } = this.options;
    return typeof sources === 'function' ? sources() : sources;
  }

  /** Builds the stored form of a question: id, cut text, fingerprint, triage. */
  prepare(input: QuestionInput): Question {
    const { text, truncated } = truncate(input.text, this.options.questionMaxChars);
    const { markedUrgent, ...rest } = input;
    return {
      ...rest,
      id: randomUUID(),
      text,
      truncated,
      fingerprint: fingerprint(text),
      channelKind: input.channelKind ?? 'unknown',
      triage: this.triager.triage(text, { markedUrgent }),
      createdAt: this.clock.now(),
    };
  }

  /** Stores the question, searches every source within the deadline, stores and returns the answer. */
  async ask(input: QuestionInput | Question): Promise<Answer> {
    const question = 'id' in input ? input : this.prepare(input);
    const started = performance.now();
    if (!this.storedOnAdmission.delete(question)) await this.options.store.saveQuestion(question);
    try {
      return await (this.turns
        ? this.turns.run(() => this.answer(question, started))
        : this.answer(question, started));
    } catch (error) {
      if (error instanceof TurnsFullError) {
        this.options.logger.warn(
          { questionId: question.id, ...this.load },
          'too many questions waiting for a turn; this one is turned away',
        );
        await this.options.store.markFailed(question.id);
        throw new TooBusyError('too many questions are waiting to be answered');
      }
      this.options.logger.error({ questionId: question.id, err: error }, 'question could not be answered');
      await this.options.store.markFailed(question.id);
      throw error;
    }
  }

  /** Searches every source within the deadline, ranks, writes the reply, stores the answer. */
  private async answer(question: Question, started: number): Promise<Answer> {
    // The lookup (a built-in source searches in this process) and the ranking with the reply are
    // the two long steps of an answer: each waits for its slice, so new requests are read first.
    await this.slices.next(started);
    const lookups = await Promise.all(this.sources.map((source) => this.lookUp(source, question)));
    await this.slices.next(started);
    const allHits = lookups.flatMap((lookup) => lookup.hits);
    const lexical = rankHits(question.text, allHits, this.options.answerLimit ?? 6);
    const ranked = this.options.reranker ? await this.options.reranker.rerank(question, lexical) : lexical;
    const decision = decideFound(ranked, question.text);
    const written = await this.replies.write(question.text, ranked, decision.found, {
      questionId: question.id,
      teamId: question.teamId,
      channelKind: question.channelKind,
      entryPoint: question.entryPoint,
    });
    const found = decision.found && written.reply !== undefined;
    const answer: Answer = {
      question,
      hits: written.cited.map(withoutPassages),
      related: written.related.map(withoutPassages),
      lookups: lookups.map((lookup) => ({ ...lookup, hits: lookup.hits.map(withoutPassages) })),
      found,
      ...(found && written.reply ? { reply: written.reply } : {}),
      tookMs: Math.round(performance.now() - started),
    };
    await this.options.store.saveAnswer(answer);
    return answer;
  }

  /**
   * Whether a person may ask another question now; when they may, the question is stored as it is
   * counted (one statement) and `ask` does not store it again. Counted in the database so the limit
   * holds across replicas; if the database cannot be reached the question is allowed rather than
   * lost, and `ask` stores it through the write buffer. Give it the question (`prepare`) that will
   * then be asked.
   */
  async checkRateLimit(question: Question): Promise<RateLimitVerdict> {
    const limit = this.options.questionsPerMinute ?? 0;
    if (limit <= 0) return { allowed: true };
    // Two of one person's questions counted at once would not see each other's row (each insert is
    // uncommitted while the other counts): both could pass the last place in the minute.
    const person = personKey(question.askerId, question.teamId);
    const verdict = (this.admitting.get(person) ?? Promise.resolve()).then(() => this.admit(question, limit));
    const settled = verdict.then(
      () => undefined,
      () => undefined,
    );
    this.admitting.set(person, settled);
    void settled.then(() => {
      if (this.admitting.get(person) === settled) this.admitting.delete(person);
    });
    return verdict;
  }

  private async admit(question: Question, limit: number): Promise<RateLimitVerdict> {
    const now = this.clock.now();
    try {
      const { stored, count, oldest } = await this.options.store.saveQuestionWithinLimit(
        question,
        new Date(now.getTime() - 60_000),
        limit,
      );
      // Not stored yet under the limit: the same question was stored before (asked again by id).
      if (stored || count < limit) {
        this.storedOnAdmission.add(question);
        return { allowed: true };
      }
      const retryAfterMs = (oldest ? oldest.getTime() + 60_000 : now.getTime() + 60_000) - now.getTime();
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
    } catch (error) {
      this.options.logger.warn(
        { err: (error as Error).message },
        'could not check the rate limit; allowing the question',
      );
      return { allowed: true };
    }
  }

  async recordFeedback(questionId: string, userId: string, kind: FeedbackKind): Promise<boolean> {
    return this.options.store.saveFeedback(questionId, userId, kind);
  }

  findQuestion(questionId: string): Promise<Question | undefined> {
    return this.options.store.findQuestion(questionId);
  }

  /**
   * The stored answer; with `teamId`, only when the question belongs to that workspace (a button
   * value from one workspace never opens another's question).
   */
  async findAnswer(questionId: string, teamId?: string): Promise<Answer | undefined> {
    // The reply is read back from its audit row, written off the answer's path: wait for it.
    await this.replies.audited(questionId);
    const answer = await this.options.store.findAnswer(questionId);
    if (answer && teamId && answer.question.teamId && answer.question.teamId !== teamId) return undefined;
    return answer;
  }

  private async lookUp(source: KnowledgeSource, question: Question): Promise<SourceLookup> {
    const started = performance.now();
    const base = { source: source.name, label: source.label };
    const elapsed = () => Math.round(performance.now() - started);
    if (!source.isAvailable()) {
      return { ...base, status: 'unavailable', hits: [], latencyMs: 0, error: 'not connected' };
    }
    const deadline = this.options.lookupDeadlineMs;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), deadline);
    });
    try {
      const result = await Promise.race([
        source.search(question.text, {
          limit: this.options.perSourceLimit ?? 5,
          signal: controller.signal,
          questionId: question.id,
        }),
        timeout,
      ]);
      if (result === 'timeout') {
        controller.abort(new Error(`no answer within ${deadline} ms`));
        return {
          ...base,
          status: 'timeout',
          hits: [],
          latencyMs: elapsed(),
          error: `no answer within ${deadline} ms`,
        };
      }
      return {
        ...base,
        status: 'ok',
        hits: result.map((hit: KnowledgeHit) => ({ ...hit, source: source.name })),
        latencyMs: elapsed(),
      };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.options.logger.warn({ source: source.name, err: message }, 'knowledge source failed');
      return { ...base, status: 'error', hits: [], latencyMs: elapsed(), error: message };
    } finally {
      clearTimeout(timer);
    }
  }
}

/** A hit as the answer keeps it: the passages were for the reply, the card needs only the snippet. */
function withoutPassages<T extends KnowledgeHit | RankedHit>(hit: T): T {
  const { passages: _passages, ...rest } = hit;
  return rest as T;
}

/** Who a rate limit counts: a user id is one person only within its workspace. */
function personKey(askerId: string, teamId: string | undefined): string {
  return teamId ? `${teamId}:${askerId}` : askerId;
}
