import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/client.js';
import { DrizzleSupportStore } from '../../../src/db/repositories/support-store.js';
import { DrizzleTicketStore } from '../../../src/db/repositories/ticket-store.js';
import { tickets } from '../../../src/db/schema/index.js';
import { createLogger } from '../../../src/observability/logger.js';
import type { Clock } from '../../../src/support/ports.js';
import {
  retryDelayMs,
  type Ticket,
  type TicketInput,
  type TicketNotifier,
  TicketOutboxWorker,
  TicketService,
  ticketDraftFor,
} from '../../../src/support/tickets/index.js';
import type { Answer } from '../../../src/support/types.js';
import { createTestDatabase, type TestDatabase } from '../../harness/database.js';
import { TicketDeskDouble } from './ticket-desk-double.js';

const logger = createLogger({ level: 'silent' });

class ManualClock implements Clock {
  constructor(private current = new Date('2026-05-04T09:00:00Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

class RecordingNotifier implements TicketNotifier {
  readonly changes: Ticket[] = [];
  async ticketChanged(ticket: Ticket): Promise<void> {
    this.changes.push(ticket);
  }
}

function request(overrides: Partial<TicketInput> = {}): TicketInput {
  return {
    idempotencyKey: `test:${randomUUID()}`,
    subject: 'Cannot export invoices',
    message: 'The export button does nothing.',
    customerEmail: 'ada@example.com',
    priority: 'normal',
    type: 'email',
    requesterId: 'U0ASKER',
    reason: 'asked',
    ...overrides,
  };
}

describe('filing a ticket', () => {
  let database: TestDatabase;
  let desk: TicketDeskDouble;
  let clock: ManualClock;
  let notifier: RecordingNotifier;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });
  beforeEach(() => {
    desk = new TicketDeskDouble();
    clock = new ManualClock();
    notifier = new RecordingNotifier();
  });

  const service = (options: Partial<ConstructorParameters<typeof TicketService>[0]> = {}) =>
    new TicketService({
      store: new DrizzleTicketStore(database.db),
      desk,
      logger,
      clock,
      deskDeadlineMs: 200,
      random: () => 0.5,
      ...options,
    });

  it('writes the row, files it with the desk at once and marks it created with the desk’s id and link', async () => {
    const ticket = await service().requestTicket(request());
    expect(ticket).toMatchObject({
      status: 'created',
      desk: 'helpscout',
      externalId: expect.stringMatching(/^\d+$/),
      attempts: 1,
    });
    expect(ticket.externalUrl).toBe(`https://secure.helpscout.net/conversation/${ticket.externalId}`);
    expect(ticket.filedAt).toEqual(clock.now());
    expect(desk.calls).toMatchObject([
      { subject: 'Cannot export invoices', customerEmail: 'ada@example.com' },
    ]);
  });

  it('gives a double click, a resubmitted modal or a retried delivery the same single ticket', async () => {
    desk.latencyMs = 30;
    const tickets = service();
    const input = request();
    const [first, second, third] = await Promise.all([
      tickets.requestTicket(input),
      tickets.requestTicket(input),
      tickets.requestTicket({ ...input, subject: 'edited and resubmitted' }),
    ]);
    const later = await tickets.requestTicket(input);
    expect(new Set([first.id, second.id, third.id, later.id]).size).toBe(1);
    expect(later).toMatchObject({ status: 'created', subject: 'Cannot export invoices' });
    expect(desk.callsFor(input.idempotencyKey as string)).toBe(1);
  });

  it('keys a ticket by its question when no key is given', async () => {
    const questionId = await storedQuestion(database);
    const ticket = await service().requestTicket(request({ idempotencyKey: undefined, questionId }));
    expect(ticket.idempotencyKey).toBe(`question:${questionId}`);
    expect((await service().findForQuestion(questionId))?.id).toBe(ticket.id);
  });

  it('keeps the ticket local when no ticket desk is configured', async () => {
    const ticket = await service({ desk: undefined }).requestTicket(request());
    expect(ticket).toMatchObject({ status: 'local', attempts: 0 });
    expect(ticket.desk).toBeUndefined();
  });

  it('holds a ticket as pending while a desk may still be starting, and files it once the desk is there', async () => {
    let connected: TicketDeskDouble | undefined;
    const tickets = service({ desk: () => connected, awaitingDesk: () => connected === undefined });
    const waiting = await tickets.requestTicket(request());
    expect(waiting).toMatchObject({ status: 'pending', attempts: 0 });
    expect(tickets.deskConfigured).toBe(false);
    expect(await tickets.fileDue(50)).toMatchObject({ claimed: 0 });
    connected = desk;
    expect(tickets.deskLabel).toBe(desk.label);
    const { changed } = await tickets.fileDue(50);
    expect(changed.find((ticket) => ticket.id === waiting.id)).toMatchObject({
      status: 'created',
      desk: 'helpscout',
    });
  });

  it('marks a ticket the desk refuses as failed, with the desk’s reason', async () => {
    desk.mode = 'refusing';
    const ticket = await service().requestTicket(request());
    expect(ticket).toMatchObject({ status: 'failed', lastError: 'HelpScout rejected the customer email' });
  });

  it('keeps the ticket pending with a backoff when the desk is down, and honours its Retry-After', async () => {
    desk.mode = 'down';
    const down = await service().requestTicket(request());
    expect(down).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError: 'HelpScout is unreachable (503)',
    });
    expect(down.nextAttemptAt.getTime() - clock.now().getTime()).toBe(
      retryDelayMs(1, undefined, undefined, () => 0.5),
    );

    desk.mode = 'rate_limited';
    const limited = await service().requestTicket(request());
    expect(limited.nextAttemptAt.getTime() - clock.now().getTime()).toBe(60_000);
  });

  it('counts a desk that does not answer within the deadline as down, and stops waiting for it', async () => {
    desk.mode = 'hanging';
    const started = Date.now();
    const ticket = await service().requestTicket(request());
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(ticket).toMatchObject({ status: 'pending', lastError: 'HelpScout did not answer within 200 ms' });
  });

  it('does not call a desk that is not connected, and leaves the ticket for the outbox', async () => {
    desk.available = false;
    const ticket = await service().requestTicket(request());
    expect(ticket).toMatchObject({ status: 'pending', lastError: 'HelpScout is not connected' });
    expect(desk.calls).toHaveLength(0);
  });

  it('files a ticket exactly once when the desk comes back, with two workers racing on the same database', async () => {
    desk.mode = 'down';
    const inputs = Array.from({ length: 6 }, () => request());
    const pending = await Promise.all(inputs.map((input) => service().requestTicket(input)));
    expect(pending.every((ticket) => ticket.status === 'pending')).toBe(true);

    // Two replicas: separate connection pools on one database (PGlite has only the one connection).
    const other = database.url ? await openDatabase({ url: database.url, maxConnections: 3 }) : undefined;
    try {
      const otherNotifier = new RecordingNotifier();
      const replicaA = service();
      const replicaB = service({ store: new DrizzleTicketStore((other ?? database).db) });
      desk.mode = 'up';
      desk.latencyMs = 40;
      clock.advance(60 * 60_000);
      const a = new TicketOutboxWorker({ tickets: replicaA, notifier, logger, batchSize: 4 });
      const b = new TicketOutboxWorker({ tickets: replicaB, notifier: otherNotifier, logger, batchSize: 4 });
      // Earlier tests left tickets pending too: race until the outbox is empty.
      let claimed: number[] = [];
      do claimed = await Promise.all([a.runOnce(), b.runOnce(), a.runOnce(), b.runOnce()]);
      while (claimed.some((n) => n > 0));

      for (const input of inputs) expect(desk.callsFor(input.idempotencyKey as string)).toBe(2);
      const rows = await database.db.select().from(tickets);
      for (const ticket of pending) {
        const row = rows.find((candidate) => candidate.id === ticket.id);
        expect(row).toMatchObject({ status: 'created', attempts: 2, lastError: null });
      }
      const told = [...notifier.changes, ...otherNotifier.changes].filter((t) =>
        pending.some((p) => p.id === t.id),
      );
      expect(told).toHaveLength(6);
      expect(told.every((ticket) => ticket.status === 'created')).toBe(true);
    } finally {
      await other?.close();
    }
  });

  it('gives up after the last attempt and marks the ticket failed with the reason', async () => {
    desk.mode = 'down';
    const tickets = service({ maxAttempts: 3 });
    const ticket = await tickets.requestTicket(request());
    const worker = new TicketOutboxWorker({ tickets, notifier, logger });
    for (let step = 0; step < 5; step++) {
      clock.advance(60 * 60_000);
      await worker.runOnce();
    }
    const stored = await new DrizzleTicketStore(database.db).findById(ticket.id);
    expect(stored).toMatchObject({
      status: 'failed',
      attempts: 3,
      lastError: 'HelpScout could not take the ticket after 3 attempts: HelpScout is unreachable (503)',
    });
    expect(desk.callsFor(ticket.idempotencyKey)).toBe(3);
    expect(notifier.changes.map((change) => change.status)).toEqual(['pending', 'failed']);
  });

  it('leaves a ticket whose first attempt is under way to that attempt, then retries it if the process died', async () => {
    const store = new DrizzleTicketStore(database.db);
    const { ticket } = await store.insert({
      ...request(),
      idempotencyKey: `test:${randomUUID()}`,
      status: 'pending',
      desk: 'helpscout',
      attempts: 1,
      nextAttemptAt: new Date(clock.now().getTime() + 5_200),
      card: {},
    });
    const tickets = service();
    expect((await tickets.fileDue(50)).claimed).toBe(0);
    clock.advance(5_201);
    expect((await tickets.fileDue(50)).changed.map((changed) => changed.id)).toContain(ticket.id);
    expect(await store.findById(ticket.id)).toMatchObject({ status: 'created', attempts: 2 });
  });

  it('records what the desk reports about a ticket', async () => {
    const tickets = service();
    const ticket = await tickets.requestTicket(request());
    const at = new Date('2026-05-04T10:00:00Z');
    const updated = await tickets.applyDeskUpdate({
      externalId: ticket.externalId as string,
      externalStatus: 'closed',
      lastReply: { at, text: 'Fixed in 2.4.1' },
    });
    expect(updated).toMatchObject({
      externalStatus: 'closed',
      lastReplyAt: at,
      lastReplyText: 'Fixed in 2.4.1',
    });
    expect(
      await tickets.applyDeskUpdate({ externalId: 'unknown-999', externalStatus: 'closed' }),
    ).toBeUndefined();
  });

  describe('automatic tickets', () => {
    it('files none when a good answer was found for a normal question', async () => {
      const answer = await storedAnswer(database, { found: true, urgency: 'normal' });
      expect(await service().autoTicketFor(answer)).toBeUndefined();
    });

    it('files one when no good answer was found', async () => {
      const answer = await storedAnswer(database, { found: false, urgency: 'normal' });
      const ticket = await service().autoTicketFor(answer);
      expect(ticket).toMatchObject({
        status: 'created',
        reason: 'no_answer',
        priority: 'normal',
        questionId: answer.question.id,
        requesterId: 'U0ASKER',
        subject: 'Invoices export is broken',
      });
      expect(ticket?.message).toContain('Knowledge base: no results');
      expect(ticket?.message).toContain('Notion: timed out');
    });

    it('files an urgent one for a high-urgency question, even with a good answer, once', async () => {
      const answer = await storedAnswer(database, { found: true, urgency: 'high' });
      const first = await service().autoTicketFor(answer);
      const again = await service().autoTicketFor(answer);
      expect(first).toMatchObject({ reason: 'urgent', priority: 'urgent' });
      expect(again?.id).toBe(first?.id);
      expect(desk.callsFor(`question:${answer.question.id}`)).toBe(1);
    });
  });

  describe('the outbox worker', () => {
    it('polls on its own and finishes the step in progress when stopped', async () => {
      desk.mode = 'down';
      const tickets = service();
      const ticket = await tickets.requestTicket(request());
      desk.mode = 'up';
      desk.latencyMs = 150;
      clock.advance(60 * 60_000);
      const worker = new TicketOutboxWorker({ tickets, logger, pollIntervalMs: 20 });
      worker.start();
      await new Promise((resolve) => setTimeout(resolve, 60));
      await worker.stop();
      const stored = await new DrizzleTicketStore(database.db).findById(ticket.id);
      expect(stored?.status).toBe('created');
      const calls = desk.calls.length;
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(desk.calls.length).toBe(calls);
    });
  });
});

describe('retry delays', () => {
  it('double with each attempt, with half of the delay random, up to the cap', () => {
    const options = { baseMs: 1_000, maxMs: 10_000 };
    expect(retryDelayMs(1, options, undefined, () => 0)).toBe(500);
    expect(retryDelayMs(1, options, undefined, () => 1)).toBe(1_000);
    expect(retryDelayMs(3, options, undefined, () => 1)).toBe(4_000);
    expect(retryDelayMs(20, options, undefined, () => 1)).toBe(10_000);
  });

  it('never come sooner than the desk’s Retry-After', () => {
    expect(retryDelayMs(1, { baseMs: 1_000, maxMs: 10_000 }, 30_000, () => 1)).toBe(30_000);
    expect(retryDelayMs(4, { baseMs: 1_000, maxMs: 10_000 }, 10, () => 1)).toBe(8_000);
  });
});

describe('the proposed ticket text', () => {
  it('takes the subject from the question and lists every source already tried', () => {
    const draft = ticketDraftFor(answerFixture({ found: true, urgency: 'normal' }));
    expect(draft.subject).toBe('Invoices export is broken');
    expect(draft.message).toContain('Invoices export is broken\nsince Monday');
    expect(draft.message).toContain('Knowledge base: "Exporting invoices" <https://help.example/export>');
    expect(draft.message).toContain('Notion: timed out (no answer within 4000 ms)');
    expect(draft).toMatchObject({ priority: 'normal', type: 'email' });
  });
});

function answerFixture({ found, urgency }: { found: boolean; urgency: 'normal' | 'high' }): Answer {
  const hit = {
    source: 'kb',
    title: 'Exporting invoices',
    snippet: 'Use Billing → Export.',
    url: 'https://help.example/export',
    score: 3,
    relevance: 0.8,
  };
  return {
    question: {
      id: randomUUID(),
      text: 'Invoices export is broken\nsince Monday',
      truncated: false,
      fingerprint: 'broken export invoices',
      entryPoint: 'slash',
      askerId: 'U0ASKER',
      channelKind: 'im',
      triage: { urgency, category: 'billing', matched: [] },
      createdAt: new Date('2026-05-04T08:00:00Z'),
    },
    hits: found ? [hit] : [],
    lookups: [
      { source: 'kb', label: 'Knowledge base', status: 'ok', hits: found ? [hit] : [], latencyMs: 5 },
      {
        source: 'notion',
        label: 'Notion',
        status: 'timeout',
        hits: [],
        latencyMs: 4000,
        error: 'no answer within 4000 ms',
      },
    ],
    found,
    tookMs: 4000,
  };
}

async function storedAnswer(database: TestDatabase, shape: { found: boolean; urgency: 'normal' | 'high' }) {
  const answer = answerFixture(shape);
  const store = new DrizzleSupportStore(database.db);
  await store.saveQuestion(answer.question);
  await store.saveAnswer(answer);
  return answer;
}

async function storedQuestion(database: TestDatabase): Promise<string> {
  return (await storedAnswer(database, { found: true, urgency: 'normal' })).question.id;
}
