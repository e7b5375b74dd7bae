import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DrizzleDeliveryLedger } from '../../../src/db/repositories/delivery-ledger.js';
import { DrizzleSupportStore } from '../../../src/db/repositories/support-store.js';
import { lookups, questions } from '../../../src/db/schema/index.js';
import type { Answer, Question } from '../../../src/support/types.js';
import { createTestDatabase, type TestDatabase } from '../../harness/database.js';

function question(overrides: Partial<Question> = {}): Question {
  return {
    id: randomUUID(),
    text: 'How do I reset my password?',
    truncated: false,
    fingerprint: 'password reset',
    entryPoint: 'slash',
    askerId: 'U0ASKER',
    teamId: 'T0TEAM',
    channelId: 'C0GENERAL',
    channelKind: 'public',
    responseUrl: 'https://hooks.slack.com/commands/T0/1/abc',
    triage: { urgency: 'normal', category: 'account', matched: [] },
    createdAt: new Date('2026-05-04T09:00:00.123Z'),
    ...overrides,
  };
}

function answerTo(asked: Question): Answer {
  return {
    question: asked,
    hits: [
      { source: 'kb', title: 'Reset your password', snippet: 'Open settings', score: 1, relevance: 0.9 },
    ],
    lookups: [
      { source: 'kb', label: 'Knowledge base', status: 'ok', hits: [], latencyMs: 12 },
      { source: 'notion', label: 'Notion', status: 'timeout', hits: [], latencyMs: 800, error: 'no answer' },
    ],
    found: true,
    tookMs: 40,
  };
}

describe('the support store', () => {
  let database: TestDatabase;
  let store: DrizzleSupportStore;
  beforeAll(async () => {
    database = await createTestDatabase();
    store = new DrizzleSupportStore(database.db);
  });
  afterAll(async () => {
    await database.drop();
  });

  it('stores a question with every field, absent ones as null, and once however often it is saved', async () => {
    const asked = question({ threadTs: undefined, permalink: undefined });
    await store.saveQuestion(asked);
    await store.saveQuestion({ ...asked, text: 'changed' });
    const rows = await database.db.select().from(questions).where(eq(questions.id, asked.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      text: 'How do I reset my password?',
      askerId: 'U0ASKER',
      teamId: 'T0TEAM',
      channelKind: 'public',
      responseUrl: 'https://hooks.slack.com/commands/T0/1/abc',
      urgency: 'normal',
      category: 'account',
      status: 'received',
      threadTs: null,
      permalink: null,
    });
    expect(rows[0]?.createdAt.toISOString()).toBe('2026-05-04T09:00:00.123Z');
  });

  it('marks the question answered and writes its lookups once, even when the write is retried', async () => {
    const asked = question();
    await store.saveQuestion(asked);
    await store.saveAnswer(answerTo(asked));
    await store.saveAnswer(answerTo(asked));
    const [row] = await database.db.select().from(questions).where(eq(questions.id, asked.id));
    expect(row).toMatchObject({ status: 'answered', found: true, answerMs: 40, hitCount: 0 });
    expect(row?.answeredAt?.toISOString()).toBe('2026-05-04T09:00:00.163Z');
    const rows = await database.db.select().from(lookups).where(eq(lookups.questionId, asked.id));
    expect(
      rows.map((lookup) => [lookup.source, lookup.status, lookup.latencyMs, lookup.error]).sort(),
    ).toEqual([
      ['kb', 'ok', 12, null],
      ['notion', 'timeout', 800, 'no answer'],
    ]);
    const found = await store.findAnswer(asked.id);
    expect(found?.hits[0]?.title).toBe('Reset your password');
  });

  it('marks a question answered that had no source to look in', async () => {
    const asked = question();
    await store.saveQuestion(asked);
    await store.saveAnswer({ ...answerTo(asked), hits: [], lookups: [], found: false });
    const [row] = await database.db.select().from(questions).where(eq(questions.id, asked.id));
    expect(row).toMatchObject({ status: 'answered', found: false, topScore: 0, hits: [] });
  });

  it('stores a question within the rate limit in one statement, and refuses one past it with the count', async () => {
    const askerId = `U${randomUUID().slice(0, 8).toUpperCase()}`;
    const since = new Date(Date.UTC(2026, 4, 4, 9, 0, 30));
    await store.saveQuestion(question({ askerId, createdAt: new Date(Date.UTC(2026, 4, 4, 9, 0)) }));
    await store.saveQuestion(question({ askerId, createdAt: new Date(Date.UTC(2026, 4, 4, 9, 1)) }));
    // The same user id in another workspace is another person.
    await store.saveQuestion(
      question({ askerId, teamId: 'T0OTHER', createdAt: new Date(Date.UTC(2026, 4, 4, 9, 1)) }),
    );
    const second = question({
      askerId,
      threadTs: undefined,
      createdAt: new Date(Date.UTC(2026, 4, 4, 9, 2)),
    });
    expect(await store.saveQuestionWithinLimit(second, since, 2)).toEqual({
      stored: true,
      count: 1,
      oldest: new Date('2026-05-04T09:01:00.000Z'),
    });
    const [row] = await database.db.select().from(questions).where(eq(questions.id, second.id));
    expect(row).toMatchObject({
      askerId,
      teamId: 'T0TEAM',
      status: 'received',
      text: second.text,
      textTruncated: false,
      channelKind: 'public',
      threadTs: null,
      urgency: 'normal',
      category: 'account',
      createdAt: second.createdAt,
      found: null,
    });
    const third = question({ askerId, createdAt: new Date(Date.UTC(2026, 4, 4, 9, 3)) });
    expect(await store.saveQuestionWithinLimit(third, since, 2)).toMatchObject({ stored: false, count: 2 });
    expect(await database.db.select().from(questions).where(eq(questions.id, third.id))).toEqual([]);
    // Without a workspace every question of the id counts (the CLI and agents have none).
    const anyTeam = question({ askerId, teamId: undefined, createdAt: new Date(Date.UTC(2026, 4, 4, 9, 3)) });
    expect(await store.saveQuestionWithinLimit(anyTeam, since, 3)).toMatchObject({ stored: false, count: 3 });
    expect(await store.saveQuestionWithinLimit(anyTeam, since, 4)).toMatchObject({ stored: true, count: 3 });
    // Stored once however often it is sent: the count then includes it.
    expect(await store.saveQuestionWithinLimit(anyTeam, since, 10)).toMatchObject({
      stored: false,
      count: 4,
    });
  });

  it('lets only the first claim of a Slack delivery win', async () => {
    const ledger = new DrizzleDeliveryLedger(database.db);
    const key = `command:${randomUUID()}`;
    expect(await ledger.claim(key, 'command', 0)).toBe(true);
    expect(await ledger.claim(key, 'command', 1)).toBe(false);
    expect(await ledger.claim(`${key}:other`, 'command', 0)).toBe(true);
  });
});
