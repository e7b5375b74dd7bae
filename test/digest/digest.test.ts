import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alerts, feedback, lookups, questions, tickets } from '../../src/db/schema/index.js';
import {
  buildDigest,
  digestAsText,
  parsePeriod,
  runDigestCli,
  startDigestScheduler,
  startRollupRefresher,
} from '../../src/digest/index.js';
import { createLogger } from '../../src/observability/logger.js';
import { digestCard } from '../../src/slack/blocks/index.js';
import { fingerprint } from '../../src/support/text.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';
import { assertWithinBlockKitLimits } from '../slack/blocks/limits-checker.js';

const NOW = new Date('2026-11-23T09:00:00Z');
const daysAgo = (days: number, hours = 0) => new Date(NOW.getTime() - days * 86_400_000 - hours * 3_600_000);

interface Seed {
  text: string;
  at: Date;
  entryPoint?: string;
  category?: string;
  channelKind?: string;
  found?: boolean;
  answerMs?: number;
  feedback?: 'solved' | 'not_helpful';
  ticket?: { reason: string; priority: string; status: string };
  alert?: { takenAfterMinutes?: number };
  lookups?: Array<{ source: string; status: string; hits: number; latencyMs: number }>;
}

async function seed(database: TestDatabase, rows: Seed[]): Promise<void> {
  for (const [index, row] of rows.entries()) {
    const id = randomUUID();
    await database.db.insert(questions).values({
      id,
      createdAt: row.at,
      entryPoint: row.entryPoint ?? 'slash',
      text: row.text,
      fingerprint: fingerprint(row.text),
      askerId: 'U1',
      channelKind: row.channelKind ?? 'public',
      category: row.category ?? 'general',
      status: 'answered',
      found: row.found ?? true,
      answerMs: row.answerMs ?? 100,
    });
    if (row.feedback)
      await database.db
        .insert(feedback)
        .values({ questionId: id, userId: 'U1', kind: row.feedback, createdAt: row.at });
    let ticketId: number | undefined;
    if (row.ticket) {
      const [ticket] = await database.db
        .insert(tickets)
        .values({
          idempotencyKey: `question:${id}`,
          questionId: id,
          createdAt: row.at,
          subject: row.text,
          message: row.text,
          ...row.ticket,
        })
        .returning({ id: tickets.id });
      ticketId = ticket?.id;
    }
    if (row.alert) {
      await database.db.insert(alerts).values({
        questionId: id,
        ticketId,
        createdAt: row.at,
        channelId: 'C0SUPPORT',
        urgency: 'high',
        category: row.category ?? 'general',
        takenBy: row.alert.takenAfterMinutes === undefined ? undefined : 'U2',
        takenAt:
          row.alert.takenAfterMinutes === undefined
            ? undefined
            : new Date(row.at.getTime() + row.alert.takenAfterMinutes * 60_000),
      });
    }
    for (const lookup of row.lookups ?? [{ source: 'kb', status: 'ok', hits: 2, latencyMs: 10 + index }]) {
      await database.db.insert(lookups).values({ questionId: id, createdAt: row.at, ...lookup });
    }
  }
}

describe('the digest', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    await seed(database, [
      // This week (the last 7 days before NOW).
      {
        text: 'How do I reset my password?',
        at: daysAgo(1),
        feedback: 'solved',
        answerMs: 100,
        category: 'account',
        lookups: [
          { source: 'kb', status: 'ok', hits: 3, latencyMs: 20 },
          { source: 'notion', status: 'timeout', hits: 0, latencyMs: 4000 },
        ],
      },
      {
        text: 'reset password link expired',
        at: daysAgo(1, 2),
        feedback: 'solved',
        ticket: { reason: 'asked', priority: 'normal', status: 'created' },
        answerMs: 200,
        category: 'account',
      },
      {
        text: 'Where is the moon base?',
        at: daysAgo(2),
        found: false,
        feedback: 'not_helpful',
        answerMs: 300,
        entryPoint: 'mention',
        ticket: { reason: 'no_answer', priority: 'normal', status: 'pending' },
      },
      {
        text: 'moon base where is it',
        at: daysAgo(3),
        found: false,
        answerMs: 400,
        entryPoint: 'dm',
        channelKind: 'im',
      },
      {
        text: 'production is down',
        at: daysAgo(3, 1),
        answerMs: 500,
        category: 'technical',
        ticket: { reason: 'urgent', priority: 'urgent', status: 'created' },
        alert: { takenAfterMinutes: 6 },
      },
      {
        text: 'payment failed for everyone',
        at: daysAgo(4),
        answerMs: 600,
        category: 'billing',
        ticket: { reason: 'urgent', priority: 'urgent', status: 'failed' },
        alert: {},
      },
      {
        text: 'secret project codename question',
        at: daysAgo(5),
        found: false,
        channelKind: 'private',
        answerMs: 700,
      },
      // The week before.
      { text: 'invoice copy', at: daysAgo(8), feedback: 'solved', answerMs: 50, category: 'billing' },
      { text: 'sso with okta', at: daysAgo(9), answerMs: 70 },
    ]);
  });
  afterAll(async () => {
    await database.drop();
  });

  it('counts questions, ways in, categories and the busiest day', async () => {
    const digest = await buildDigest(database, { since: '7d', now: NOW, includePrivateText: false });
    expect(digest.current.questions).toBe(7);
    expect(digest.previous.questions).toBe(2);
    expect(digest.current.byEntryPoint).toEqual({ slash: 5, mention: 1, dm: 1 });
    expect(digest.current.byCategory).toEqual({ account: 2, general: 3, technical: 1, billing: 1 });
    // Two days tie with two questions each: the earlier one is named.
    expect(digest.current.busiestDay).toEqual({ day: '2026-11-20', questions: 2 });
  });

  it('measures deflection (solved, no ticket), not-helpful rate and answer times', async () => {
    const { current, previous } = await buildDigest(database, {
      since: '7d',
      now: NOW,
      includePrivateText: false,
    });
    expect(current.deflected).toBe(1);
    expect(current.deflectionRate).toBeCloseTo(1 / 7);
    expect(previous.deflected).toBe(1);
    expect(current.notHelpful).toBe(1);
    expect(current.answerMs).toEqual({ p50: 400, p90: 640 });
  });

  it('counts tickets by priority and reason, and the pending and failed ones', async () => {
    const { current } = await buildDigest(database, { since: '7d', now: NOW, includePrivateText: false });
    expect(current.tickets).toEqual({
      total: 4,
      byPriority: { normal: 2, urgent: 2 },
      byReason: { asked: 1, no_answer: 1, urgent: 2 },
      pending: 1,
      failed: 1,
    });
  });

  it('reports how fast alerts were taken and how many never were', async () => {
    const { current } = await buildDigest(database, { since: '7d', now: NOW, includePrivateText: false });
    expect(current.alerts).toEqual({ total: 2, medianMinutesToTake: 6, neverTaken: 1 });
  });

  it('lists knowledge gaps grouped by near-duplicate, never showing private text in a channel digest', async () => {
    const forChannel = await buildDigest(database, { since: '7d', now: NOW, includePrivateText: false });
    expect(forChannel.gaps).toEqual([
      { count: 2, example: 'Where is the moon base?', askedPrivately: false },
      { count: 1, example: undefined, askedPrivately: true },
    ]);
    expect(JSON.stringify(forChannel)).not.toContain('secret project');
    expect(JSON.stringify(digestCard(forChannel))).not.toContain('secret project');
    const forAdmin = await buildDigest(database, { since: '7d', now: NOW, includePrivateText: true });
    expect(forAdmin.gaps[1]?.example).toBe('secret project codename question');
  });

  it('reports each source: calls, error rate, latency and hits per question', async () => {
    const { sources } = await buildDigest(database, { since: '7d', now: NOW, includePrivateText: false });
    expect(sources.map((source) => [source.source, source.calls, source.errorRate])).toEqual([
      ['kb', 7, 0],
      ['notion', 1, 1],
    ]);
    expect(sources[1]).toMatchObject({ p50Ms: 4000, p95Ms: 4000, hitsPerQuestion: 0 });
  });

  it('gives zeros for an empty period, and counts a period of only private questions without their text', async () => {
    const empty = await buildDigest(database, { since: '7d', now: daysAgo(60), includePrivateText: false });
    expect(empty.current).toMatchObject({
      questions: 0,
      deflectionRate: 0,
      byEntryPoint: {},
      busiestDay: undefined,
      answerMs: { p50: undefined, p90: undefined },
    });
    expect(empty.gaps).toEqual([]);
    const privateOnly = await buildDigest(database, {
      since: parsePeriod('1d', daysAgo(5, -12)),
      includePrivateText: false,
    });
    expect(privateOnly.current.questions).toBe(1);
    expect(privateOnly.gaps).toEqual([{ count: 1, example: undefined, askedPrivately: true }]);
  });

  it('renders as a card within Block Kit limits, and as text with the key figures', async () => {
    const digest = await buildDigest(database, { since: '7d', now: NOW, includePrivateText: false });
    const message = digestCard(digest);
    assertWithinBlockKitLimits(message);
    expect(JSON.stringify(message.blocks)).toContain('Questions');
    const text = digestAsText(digest);
    expect(text).toMatch(/Questions\s+7\s+▲ 250%/);
    expect(text).toMatch(/Solved without a ticket\s+\d+% \(\d+\)/);
    expect(text).toContain('Where is the moon base?');
    expect(text).toMatch(/Busiest day: \d{4}-\d{2}-\d{2} \(\d+ questions?\)/);
    expect(
      digestAsText({
        ...digest,
        current: { ...digest.current, busiestDay: { day: '2026-11-20', questions: 1 } },
      }),
    ).toContain('Busiest day: 2026-11-20 (1 question)');
  });

  it('prints JSON for scripts from the CLI', async () => {
    let out = '';
    await runDigestCli(['--since', '7d', '--json'], {
      database,
      stdout: { write: (text: string) => (out += text) },
      now: NOW,
    });
    expect(JSON.parse(out).current.questions).toBe(7);
  });

  it('refuses a period it cannot read', () => {
    expect(() => parsePeriod('forever')).toThrow(/not a period/);
  });

  /** A weekday-morning digest scheduler as one replica runs it, posting with `post`. */
  const scheduler = (replica: string, post: () => Promise<void>) =>
    startDigestScheduler({
      database,
      cron: '0 9 * * 1-5',
      timezone: 'UTC',
      replicaId: replica,
      logger: createLogger({ level: 'silent' }),
      post,
    });

  it('posts once per tick however many replicas run the scheduler', async () => {
    const posted: string[] = [];
    const make = (replica: string) =>
      scheduler(replica, async () => {
        posted.push(replica);
      });
    const [a, b] = [make('a'), make('b')];
    const results = await Promise.all([a.runOnce(NOW), b.runOnce(NOW), a.runOnce(NOW)]);
    expect(results.filter((result) => result === 'posted')).toHaveLength(1);
    expect(posted).toHaveLength(1);
    a.stop();
    b.stop();
  });

  describe('a digest Slack would not take', () => {
    const later = (minutes: number) => new Date(Date.now() + minutes * 60_000);
    const runOf = async (tick: Date) => {
      const [row] = await database.rows<{ status: string; attempts: number; next_attempt_at: Date | null }>(
        sql`select status, attempts, next_attempt_at from cron_runs where job = 'digest' and scheduled_for = ${tick.toISOString()}`,
      );
      return row;
    };

    it('is posted again once it is due, by one replica however many look', async () => {
      const tick = new Date('2026-11-24T09:00:00Z');
      let failures = 1;
      const posted: string[] = [];
      const post = (replica: string) => async () => {
        if (failures-- > 0) throw new Error('An API error occurred: service_unavailable');
        posted.push(replica);
      };
      const [a, b] = [scheduler('a', post('a')), scheduler('b', post('b'))];
      try {
        expect(await a.runOnce(tick)).toBe('failed');
        const failed = await runOf(tick);
        expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
        expect(new Date(failed?.next_attempt_at ?? 0).getTime()).toBeGreaterThan(later(4).getTime());
        // Not due yet.
        expect(await a.retryFailed(later(1))).toEqual([]);
        const outcomes = await Promise.all([a.retryFailed(later(6)), b.retryFailed(later(6))]);
        expect(outcomes.flat()).toEqual(['posted']);
        expect(posted).toHaveLength(1);
        expect(await runOf(tick)).toMatchObject({ status: 'done', attempts: 2 });
      } finally {
        a.stop();
        b.stop();
      }
    });

    it('is given up after its retries, and says so', async () => {
      const tick = new Date('2026-11-25T09:00:00Z');
      const a = scheduler('a', async () => {
        throw new Error('An API error occurred: channel_not_found');
      });
      try {
        expect(await a.runOnce(tick)).toBe('failed');
        for (let retry = 1; retry <= 3; retry += 1)
          expect(await a.retryFailed(later(60 * 24 * retry))).toEqual(['failed']);
        expect(await a.retryFailed(later(60 * 24 * 30))).toEqual([]);
        expect(await runOf(tick)).toMatchObject({ status: 'failed', attempts: 4, next_attempt_at: null });
      } finally {
        a.stop();
      }
    });
  });

  it('brings the rollups of the longest digest up to date ahead of it, soon after start and then on schedule', async () => {
    await database.rows(sql`delete from digest_days`);
    const refresher = startRollupRefresher({
      database,
      logger: createLogger({ level: 'silent' }),
      firstRefreshAfterMs: 10,
    });
    try {
      // The first refresh comes by itself, shortly after start (for the days before now).
      for (let i = 0; i < 400; i++) {
        const [row] = await database.rows(sql`select count(*)::int as n from digest_days`);
        if (Number(row?.n) > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const [started] = await database.rows(sql`select count(*)::int as n from digest_days`);
      expect(Number(started?.n)).toBeGreaterThan(0);
      await refresher.idle();

      await database.rows(sql`delete from digest_days`);
      const first = await refresher.refresh(NOW);
      // The 61 days a 30-day digest (the longest /support digest offers) and its previous period
      // touch, all old enough to be rolled up: whoever asks in Slack finds them ready.
      expect(first.computed).toHaveLength(61);
      expect((await refresher.refresh(NOW)).computed).toEqual([]);
      let computed: string[] = ['not told'];
      await buildDigest(database, {
        since: '30d',
        now: NOW,
        includePrivateText: false,
        onRollups: (report) => {
          computed = report.computed;
        },
      });
      expect(computed).toEqual([]);
    } finally {
      refresher.stop();
    }
  });
});
