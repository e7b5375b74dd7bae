import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DrizzleReplyAuditLog } from '../../src/db/repositories/reply-audit-store.js';
import { DrizzleSupportStore } from '../../src/db/repositories/support-store.js';
import { feedback, lookups, questions, replyAudits } from '../../src/db/schema/index.js';
import { createLogger } from '../../src/observability/logger.js';
import type { KnowledgeSource } from '../../src/support/ports.js';
import { ReplyWriter } from '../../src/support/replies/index.js';
import { SupportService, TooBusyError } from '../../src/support/support-service.js';
import type { KnowledgeHit, Question, RankedHit } from '../../src/support/types.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';

const logger = createLogger({ level: 'silent' });

function source(
  name: string,
  behaviour: (query: string, signal: AbortSignal) => Promise<KnowledgeHit[]>,
  available = true,
): KnowledgeSource {
  return {
    name,
    label: name.toUpperCase(),
    isAvailable: () => available,
    search: (query, { signal }) => behaviour(query, signal),
  };
}

const passwordArticle: KnowledgeHit = {
  source: 'kb',
  title: 'Reset your password',
  snippet: 'Use the Forgot password link to reset your password.',
  url: 'https://help.example/password',
  score: 4.2,
};

describe('answering a question', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  const service = (sources: KnowledgeSource[], lookupDeadlineMs = 1000) =>
    new SupportService({
      sources,
      store: new DrizzleSupportStore(database.db),
      logger,
      lookupDeadlineMs,
      questionMaxChars: 200,
    });

  it('searches every source, ranks, and stores the question, the answer and one lookup per source', async () => {
    const support = service([
      source('kb', async () => [passwordArticle]),
      source('notion', async () => [
        {
          ...passwordArticle,
          source: 'notion',
          title: 'Team lunch',
          snippet: 'Fridays',
          url: 'https://n/1',
          score: 1,
        },
      ]),
    ]);
    const answer = await support.ask({
      text: 'How do I reset my password?',
      entryPoint: 'slash',
      askerId: 'U1',
      channelKind: 'public',
    });
    expect(answer.found).toBe(true);
    expect(answer.hits[0]?.title).toBe('Reset your password');
    expect(answer.lookups.map((lookup) => [lookup.source, lookup.status])).toEqual([
      ['kb', 'ok'],
      ['notion', 'ok'],
    ]);

    const [row] = await database.db.select().from(questions).where(eq(questions.id, answer.question.id));
    expect(row).toMatchObject({
      status: 'answered',
      found: true,
      entryPoint: 'slash',
      channelKind: 'public',
      hitCount: 2,
    });
    expect(row?.hits?.[0]?.title).toBe('Reset your password');
    const lookupRows = await database.db
      .select()
      .from(lookups)
      .where(eq(lookups.questionId, answer.question.id));
    expect(lookupRows).toHaveLength(2);

    const again = await support.findAnswer(answer.question.id);
    expect(again?.hits[0]?.title).toBe('Reset your password');
    expect(again?.lookups).toHaveLength(2);
  });

  it('waits for a slice before the lookup and before the ranking, as of when the question came in', async () => {
    const steps: string[] = [];
    const sinces: number[] = [];
    const support = new SupportService({
      sources: [
        source('kb', async () => {
          steps.push('lookup');
          return [passwordArticle];
        }),
      ],
      store: new DrizzleSupportStore(database.db),
      logger,
      lookupDeadlineMs: 1000,
      questionMaxChars: 200,
      slices: {
        async next(since) {
          steps.push('slice');
          sinces.push(since);
        },
      },
    });
    const before = performance.now();
    const answer = await support.ask({
      text: 'How do I reset my password?',
      askerId: 'U1',
      entryPoint: 'slash',
    });
    expect(steps).toEqual(['slice', 'lookup', 'slice']);
    expect(sinces[0]).toBe(sinces[1]);
    expect(sinces[0]).toBeGreaterThanOrEqual(before);
    expect(answer.hits[0]?.title).toBe('Reset your password');
  });

  it('answers with a cited reply, keeps it for later cards, and audits it', async () => {
    const replies = new ReplyWriter({ audit: new DrizzleReplyAuditLog(database.db, logger), logger });
    const support = new SupportService({
      sources: [
        source('kb', async () => [
          {
            ...passwordArticle,
            passages: [
              {
                heading: 'Reset it',
                text: '1. Click Forgot password.\n2. Open the email and set a new password.',
              },
            ],
          },
          {
            ...passwordArticle,
            title: 'Change your email',
            url: 'https://help.example/email',
            score: 1,
            snippet: 'Email changes need your password.',
          },
        ]),
      ],
      store: new DrizzleSupportStore(database.db),
      logger,
      lookupDeadlineMs: 1000,
      questionMaxChars: 200,
      replies,
    });
    const answer = await support.ask({
      text: 'How do I reset my password?',
      entryPoint: 'slash',
      askerId: 'U9',
      channelKind: 'public',
    });
    expect(answer.reply?.text).toBe(
      '1. Click Forgot password. [1]\n2. Open the email and set a new password. [1]',
    );
    expect(answer.hits.map((hit) => hit.title)).toEqual(['Reset your password']);
    expect(answer.hits[0]?.passages).toBeUndefined();
    // Read back at once, while its audit row may still be on its way: findAnswer waits for it.
    const again = await support.findAnswer(answer.question.id);
    expect(again?.reply).toEqual(answer.reply);
    expect(again?.hits.map((hit) => hit.title)).toEqual(['Reset your password']);
    expect(again?.related?.map((hit) => hit.title)).toEqual(answer.related?.map((hit) => hit.title));
    await replies.flush();
    const [audit] = await database.db
      .select()
      .from(replyAudits)
      .where(eq(replyAudits.questionId, answer.question.id));
    expect(audit).toMatchObject({
      method: 'extractive',
      llmOutcome: null,
      passages: [expect.objectContaining({ n: 1 })],
    });
  });

  it('does not wait past the deadline for a source that hangs, and names it', async () => {
    let aborted = false;
    const support = service(
      [
        source('kb', async () => [passwordArticle]),
        source('notion', (_query, signal) => {
          signal.addEventListener('abort', () => {
            aborted = true;
          });
          return new Promise(() => {});
        }),
      ],
      150,
    );
    const started = Date.now();
    const answer = await support.ask({ text: 'reset password', entryPoint: 'dm', askerId: 'U1' });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(answer.found).toBe(true);
    expect(answer.lookups.find((lookup) => lookup.source === 'notion')).toMatchObject({ status: 'timeout' });
    expect(aborted).toBe(true);
  });

  it('reports a source that fails or is not connected, and still answers from the others', async () => {
    const support = service([
      source('kb', async () => [passwordArticle]),
      source('notion', async () => {
        throw new Error('Notion is having trouble (status 503)');
      }),
      source('helpscout', async () => [], false),
    ]);
    const answer = await support.ask({ text: 'reset password', entryPoint: 'mention', askerId: 'U1' });
    expect(answer.lookups.map((lookup) => lookup.status)).toEqual(['ok', 'error', 'unavailable']);
    expect(answer.lookups[1]?.error).toContain('503');
  });

  it('says plainly when nothing answers the question', async () => {
    const answer = await service([source('kb', async () => [])]).ask({
      text: 'Where is the moon base?',
      entryPoint: 'slash',
      askerId: 'U1',
    });
    expect(answer.found).toBe(false);
    expect(answer.hits).toEqual([]);
  });

  it('cuts an overlong question and remembers that it did', async () => {
    const answer = await service([source('kb', async () => [])]).ask({
      text: 'word '.repeat(200),
      entryPoint: 'slash',
      askerId: 'U1',
    });
    expect(answer.question.truncated).toBe(true);
    expect(answer.question.text.length).toBeLessThanOrEqual(201);
  });

  it('stores a click once however often it is clicked', async () => {
    const support = service([source('kb', async () => [passwordArticle])]);
    const answer = await support.ask({ text: 'reset password', entryPoint: 'slash', askerId: 'U1' });
    expect(await support.recordFeedback(answer.question.id, 'U1', 'solved')).toBe(true);
    expect(await support.recordFeedback(answer.question.id, 'U1', 'solved')).toBe(false);
    const rows = await database.db.select().from(feedback).where(eq(feedback.questionId, answer.question.id));
    expect(rows).toHaveLength(1);
  });

  it('treats a malformed id from a button as not found', async () => {
    expect(await service([]).findAnswer('not-a-uuid')).toBeUndefined();
  });

  it('lets a reranker reorder the hits before the found decision and the reply', async () => {
    const seen: Array<{ channelKind: string; titles: string[] }> = [];
    // A second copy of the answer, ranked second by words alone: the reranker decides which one is cited.
    const wiki: KnowledgeHit = {
      ...passwordArticle,
      title: 'Reset your password (team wiki)',
      url: 'https://n/wiki',
      score: 1,
    };
    const reranked = (rerank: (hits: RankedHit[]) => RankedHit[]) =>
      new SupportService({
        sources: [source('kb', async () => [passwordArticle, wiki])],
        store: new DrizzleSupportStore(database.db),
        logger,
        lookupDeadlineMs: 1000,
        questionMaxChars: 200,
        reranker: {
          rerank: async (question, hits) => {
            seen.push({ channelKind: question.channelKind, titles: hits.map((hit) => hit.title) });
            return rerank(hits);
          },
        },
      });
    const asked = { text: 'How do I reset my password?', entryPoint: 'slash' as const, askerId: 'U9' };

    const promoted = await reranked((hits) =>
      [...hits].reverse().map((hit, index) => ({ ...hit, relevance: index === 0 ? 0.9 : 0.1 })),
    ).ask({ ...asked, channelKind: 'private' });
    expect(seen).toEqual([
      { channelKind: 'private', titles: ['Reset your password', 'Reset your password (team wiki)'] },
    ]);
    expect(promoted.found).toBe(true);
    expect(promoted.hits.map((hit) => hit.title)).toEqual(['Reset your password (team wiki)']);

    const demoted = await reranked((hits) => hits.map((hit) => ({ ...hit, relevance: 0.2 }))).ask(asked);
    expect(demoted.found).toBe(false);
  });

  it('lets no more than the limit through when one person asks several at once', async () => {
    const support = new SupportService({
      sources: [source('kb', async () => [passwordArticle])],
      store: new DrizzleSupportStore(database.db),
      logger,
      lookupDeadlineMs: 1000,
      questionMaxChars: 200,
      questionsPerMinute: 3,
    });
    const burst = [0, 1, 2, 3].map((i) =>
      support.prepare({ text: `reset password burst ${i}`, entryPoint: 'slash', askerId: 'URATE2' }),
    );
    const verdicts = await Promise.all(burst.map((question) => support.checkRateLimit(question)));
    expect(verdicts.filter((verdict) => verdict.allowed)).toHaveLength(3);
  });

  it("counts one person's questions one at a time (each must see the last one stored), different people at once", async () => {
    const store = new DrizzleSupportStore(database.db);
    const inFlight = new Map<string, number>();
    const most = new Map<string, number>();
    let mostOverall = 0;
    const slow = Object.assign(Object.create(store) as DrizzleSupportStore, {
      async saveQuestionWithinLimit(...args: Parameters<DrizzleSupportStore['saveQuestionWithinLimit']>) {
        const asker = args[0].askerId;
        inFlight.set(asker, (inFlight.get(asker) ?? 0) + 1);
        most.set(asker, Math.max(most.get(asker) ?? 0, inFlight.get(asker) ?? 0));
        mostOverall = Math.max(
          mostOverall,
          [...inFlight.values()].reduce((sum, n) => sum + n, 0),
        );
        await new Promise((resolve) => setTimeout(resolve, 20));
        inFlight.set(asker, (inFlight.get(asker) ?? 0) - 1);
        return store.saveQuestionWithinLimit(...args);
      },
    });
    const support = new SupportService({
      sources: [],
      store: slow,
      logger,
      lookupDeadlineMs: 1000,
      questionMaxChars: 200,
      questionsPerMinute: 2,
    });
    const asked = ['UONE3', 'UONE3', 'UONE3', 'UTWO3', 'UTWO3'].map((askerId, i) =>
      support.prepare({ text: `question ${i}`, entryPoint: 'slash', askerId }),
    );
    const verdicts = await Promise.all(asked.map((question) => support.checkRateLimit(question)));
    expect(verdicts.map((verdict) => verdict.allowed)).toEqual([true, true, false, true, true]);
    expect(Object.fromEntries(most)).toEqual({ UONE3: 1, UTWO3: 1 });
    expect(mostOverall).toBe(2);
  });

  it('stores a question as the rate limit lets it through, once, and still answers when the count fails', async () => {
    const store = new DrizzleSupportStore(database.db);
    let saved = 0;
    let countFails = false;
    const counting = Object.assign(Object.create(store) as DrizzleSupportStore, {
      async saveQuestion(question: Question) {
        saved++;
        return store.saveQuestion(question);
      },
      async saveQuestionWithinLimit(...args: Parameters<DrizzleSupportStore['saveQuestionWithinLimit']>) {
        if (countFails) throw new Error('connection refused');
        return store.saveQuestionWithinLimit(...args);
      },
    });
    const support = new SupportService({
      sources: [source('kb', async () => [passwordArticle])],
      store: counting,
      logger,
      lookupDeadlineMs: 1000,
      questionMaxChars: 200,
      questionsPerMinute: 1,
    });
    const asker = 'URATE1';
    const first = support.prepare({
      text: 'How do I reset my password?',
      entryPoint: 'slash',
      askerId: asker,
    });
    expect(await support.checkRateLimit(first)).toEqual({ allowed: true });
    const [row] = await database.db.select().from(questions).where(eq(questions.id, first.id));
    expect(row).toMatchObject({ status: 'received', askerId: asker });
    await support.ask(first);
    expect(saved).toBe(0);
    const second = support.prepare({ text: 'And my email?', entryPoint: 'slash', askerId: asker });
    expect(await support.checkRateLimit(second)).toMatchObject({ allowed: false });
    expect(await database.db.select().from(questions).where(eq(questions.id, second.id))).toEqual([]);
    // The database cannot count: the question is let through rather than lost, and ask stores it.
    countFails = true;
    const third = support.prepare({ text: 'And my phone?', entryPoint: 'slash', askerId: asker });
    expect(await support.checkRateLimit(third)).toEqual({ allowed: true });
    await support.ask(third);
    expect(saved).toBe(1);
    const [stored] = await database.db.select().from(questions).where(eq(questions.id, third.id));
    expect(stored).toMatchObject({ status: 'answered' });
  });

  describe('with a limit on questions answered at once', () => {
    /** A source whose searches stay open until released, counting how many are open at once. */
    function gatedSource() {
      const open: Array<() => void> = [];
      const started: string[] = [];
      let inFlight = 0;
      let most = 0;
      const kb = source('kb', async (query) => {
        started.push(query);
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise<void>((resolve) => open.push(resolve));
        inFlight--;
        return [passwordArticle];
      });
      return {
        kb,
        started,
        most: () => most,
        open: () => open.length,
        releaseAll: () => {
          for (const release of open.splice(0)) release();
        },
      };
    }
    const limited = (kb: KnowledgeSource, maxWaitingAnswers?: number) =>
      new SupportService({
        sources: [kb],
        store: new DrizzleSupportStore(database.db),
        logger,
        lookupDeadlineMs: 5_000,
        questionMaxChars: 200,
        maxConcurrentAnswers: 2,
        maxWaitingAnswers,
      });
    const until = async (condition: () => boolean) => {
      for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(condition()).toBe(true);
    };

    it('answers that many at a time, the others in turn in the order they were asked, each stored at once', async () => {
      const gate = gatedSource();
      const support = limited(gate.kb);
      const finished: number[] = [];
      const asked: Array<Promise<unknown>> = [];
      for (const i of [0, 1, 2, 3, 4]) {
        const { answering, waiting } = support.load;
        asked.push(
          support
            .ask({
              text: `How do I reset my password? ${'please '.repeat(i)}`,
              entryPoint: 'slash',
              askerId: `UQ${i}`,
            })
            .then((answer) => {
              finished.push(i);
              return answer;
            }),
        );
        await until(() => support.load.answering + support.load.waiting === answering + waiting + 1);
      }
      expect(gate.open()).toBe(2);
      expect(support.load).toEqual({ answering: 2, waiting: 3 });
      // Every question is stored before its turn comes.
      const stored = await database.db.select({ askerId: questions.askerId }).from(questions);
      expect(stored.map((row) => row.askerId)).toEqual(
        expect.arrayContaining(['UQ0', 'UQ1', 'UQ2', 'UQ3', 'UQ4']),
      );
      while (finished.length < 5) {
        gate.releaseAll();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const answers = (await Promise.all(asked)) as Array<{ found: boolean }>;
      expect(answers.every((answer) => answer.found)).toBe(true);
      expect(gate.most()).toBe(2);
      // Turns are given in the order the questions came (they may finish in another order).
      const pleases = (query: string) => query.split('please').length - 1;
      expect(gate.started.map(pleases)).toEqual([0, 1, 2, 3, 4]);
      expect(finished.sort()).toEqual([0, 1, 2, 3, 4]);
    });

    it('turns a question away as too busy when too many wait, and marks it failed', async () => {
      const gate = gatedSource();
      const support = limited(gate.kb, 1);
      const first = [0, 1, 2].map((i) =>
        support.ask({ text: 'How do I reset my password?', entryPoint: 'slash', askerId: `UB${i}` }),
      );
      await until(() => gate.open() === 2 && support.load.waiting === 1);
      const turnedAway = support.prepare({
        text: 'How do I reset my password?',
        entryPoint: 'slash',
        askerId: 'UB3',
      });
      await expect(support.ask(turnedAway)).rejects.toBeInstanceOf(TooBusyError);
      const [row] = await database.db
        .select({ status: questions.status })
        .from(questions)
        .where(eq(questions.id, turnedAway.id));
      expect(row?.status).toBe('failed');
      while (gate.open() > 0 || support.load.answering > 0) {
        gate.releaseAll();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect((await Promise.all(first)).every((answer) => answer.found)).toBe(true);
    });
  });
});
