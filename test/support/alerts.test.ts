import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DrizzleAlertStore } from '../../src/db/repositories/alert-store.js';
import { DrizzleSupportStore } from '../../src/db/repositories/support-store.js';
import { alerts } from '../../src/db/schema/index.js';
import { WriteBuffer } from '../../src/db/write-buffer.js';
import { createLogger } from '../../src/observability/logger.js';
import {
  type AlertDetails,
  type AlertNotifier,
  AlertService,
  EscalationWorker,
} from '../../src/support/alerts/index.js';
import { SupportService } from '../../src/support/support-service.js';
import { loadTriager } from '../../src/support/triage.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';

const logger = createLogger({ level: 'silent' });
const MINUTE = 60_000;

/** Records what the service asked the support channel to show. */
class RecordingNotifier implements AlertNotifier {
  readonly posted: AlertDetails[] = [];
  readonly updated: AlertDetails[] = [];
  readonly told: { details: AlertDetails; takerId: string }[] = [];
  readonly escalated: AlertDetails[] = [];
  failEscalations = 0;
  private ts = 1000;

  async post(details: AlertDetails) {
    this.posted.push(details);
    this.ts += 1;
    return { messageTs: `${this.ts}.000100` };
  }
  async update(details: AlertDetails) {
    this.updated.push(details);
  }
  async tellAsker(details: AlertDetails, takerId: string) {
    this.told.push({ details, takerId });
  }
  async escalate(details: AlertDetails) {
    if (this.failEscalations > 0) {
      this.failEscalations -= 1;
      throw new Error('chat.postMessage failed: ratelimited');
    }
    this.escalated.push(details);
  }
}

describe('urgent-case alerts', () => {
  let database: TestDatabase;
  let now = new Date('2026-03-02T09:00:00Z');
  const clock = { now: () => now };
  let support: SupportService;

  beforeAll(async () => {
    database = await createTestDatabase();
    support = new SupportService({
      sources: [],
      store: new DrizzleSupportStore(database.db),
      logger,
      triager: loadTriager(),
      clock,
      lookupDeadlineMs: 500,
      questionMaxChars: 500,
    });
  });
  afterAll(async () => {
    await database.drop();
  });

  const alertService = (notifier: AlertNotifier) =>
    new AlertService({
      store: new DrizzleAlertStore(database.db),
      notifier,
      questions: support,
      logger,
      channelId: 'C0SUPPORT',
      escalateAfterMs: 15 * MINUTE,
      clock,
    });

  const ask = (text: string, channelKind: 'public' | 'im' = 'public') =>
    support.ask({ text, entryPoint: 'slash', askerId: 'U0ASKER', channelId: 'C0GENERAL', channelKind });

  it('an urgent question is stored as an alert and its card posted to the support channel', async () => {
    const notifier = new RecordingNotifier();
    const service = alertService(notifier);
    const answer = await ask('The whole app is down for our team');
    const alert = await service.raise(answer);
    expect(alert).toMatchObject({ channelId: 'C0SUPPORT', urgency: 'high', category: 'technical' });
    expect(notifier.posted).toHaveLength(1);
    expect(notifier.posted[0]?.question.text).toBe('The whole app is down for our team');
    const [row] = await database.db.select().from(alerts).where(eq(alerts.questionId, answer.question.id));
    expect(row?.messageTs).toBe(alert?.messageTs);
    expect(row?.messageTs).toMatch(/^\d+\.\d+$/);

    expect(await service.raise(answer)).toMatchObject({ id: alert?.id });
    expect(notifier.posted).toHaveLength(1);
  });

  it('a question that is not urgent raises no alert', async () => {
    const notifier = new RecordingNotifier();
    expect(await alertService(notifier).raise(await ask('How do I change my avatar?'))).toBeUndefined();
    expect(notifier.posted).toHaveLength(0);
  });

  it('"Take it" clicked by two people at once leaves exactly one owner', async () => {
    const notifier = new RecordingNotifier();
    const service = alertService(notifier);
    const alert = await service.raise(await ask('Payment failed for every customer, urgent'));
    if (!alert) throw new Error('no alert');

    const outcomes = await Promise.all([
      service.take(alert.id, 'U0AGENT1'),
      service.take(alert.id, 'U0AGENT2'),
    ]);
    const taken = outcomes.filter((outcome) => outcome.kind === 'taken');
    const refused = outcomes.filter((outcome) => outcome.kind === 'already_taken');
    expect(taken).toHaveLength(1);
    expect(refused).toHaveLength(1);
    const owner = taken[0]?.kind === 'taken' ? taken[0].details.alert.takenBy : undefined;
    expect(refused[0]).toMatchObject({ kind: 'already_taken', takenBy: owner });

    const [row] = await database.db.select().from(alerts).where(eq(alerts.id, alert.id));
    expect(row?.takenBy).toBe(owner);
    expect(row?.takenAt?.toISOString()).toBe(now.toISOString());
    expect(notifier.updated.map((details) => details.alert.takenBy)).toEqual([owner]);
    expect(notifier.told.map((told) => told.takerId)).toEqual([owner]);

    expect(await service.take(alert.id, 'U0AGENT1')).toMatchObject({ kind: 'already_taken', takenBy: owner });
    expect(await service.take(987654, 'U0AGENT1')).toEqual({ kind: 'not_found' });
  });

  it('"Take it" from another workspace finds nothing to take', async () => {
    const notifier = new RecordingNotifier();
    const service = alertService(notifier);
    const answer = await support.ask({
      text: 'Checkout is down for everyone, urgent',
      entryPoint: 'slash',
      askerId: 'U0ASKER',
      teamId: 'T0ACME',
      channelId: 'C0GENERAL',
      channelKind: 'public',
    });
    const alert = await service.raise(answer);
    if (!alert) throw new Error('no alert');
    expect(await service.take(alert.id, 'U0AGENT1', 'T0OTHER')).toEqual({ kind: 'not_found' });
    expect(notifier.told).toHaveLength(0);
    expect(await service.take(alert.id, 'U0AGENT1', 'T0ACME')).toMatchObject({ kind: 'taken' });
  });

  it('an alert no one takes in time is escalated once, even with two workers running', async () => {
    await database.db.update(alerts).set({ escalatedAt: now });
    const notifiers = [new RecordingNotifier(), new RecordingNotifier()];
    const [first, second] = notifiers.map(alertService) as [AlertService, AlertService];
    const workers = [first, second].map((alerts) => new EscalationWorker({ alerts, logger }));
    const forgotten = await first.raise(await ask('Security breach: someone else is logged into our admin'));
    const taken = await first.raise(await ask('Outage in the EU region'));
    if (!forgotten || !taken) throw new Error('no alert');
    await first.take(taken.id, 'U0AGENT1');

    now = new Date(now.getTime() + 14 * MINUTE);
    expect(await Promise.all(workers.map((worker) => worker.runOnce()))).toEqual([0, 0]);

    now = new Date(now.getTime() + 2 * MINUTE);
    const counts = await Promise.all(workers.map((worker) => worker.runOnce()));
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(1);
    const escalated = notifiers.flatMap((notifier) => notifier.escalated);
    expect(escalated.map((details) => details.alert.id)).toEqual([forgotten.id]);
    expect(escalated[0]?.alert.messageTs).toBe(forgotten.messageTs);

    now = new Date(now.getTime() + 60 * MINUTE);
    expect(await Promise.all(workers.map((worker) => worker.runOnce()))).toEqual([0, 0]);
    const [row] = await database.db.select().from(alerts).where(eq(alerts.id, forgotten.id));
    expect(row?.escalatedAt).toBeInstanceOf(Date);
    expect(row?.takenBy).toBeNull();
  });

  it('an escalation Slack refused is tried again on the next run', async () => {
    await database.db.update(alerts).set({ escalatedAt: now });
    const notifier = new RecordingNotifier();
    const service = alertService(notifier);
    const alert = await service.raise(await ask('Data loss after the import, urgent'));
    now = new Date(now.getTime() + 20 * MINUTE);
    notifier.failEscalations = 1;
    expect(await service.escalateDue()).toBe(0);
    expect(await service.escalateDue()).toBe(1);
    expect(notifier.escalated.map((details) => details.alert.id)).toEqual([alert?.id]);
  });

  it('an urgent question asked while the alerts table is away is still posted, then stored once and taken by its question', async () => {
    const notifier = new RecordingNotifier();
    const down = () =>
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    let reachable = false;
    const buffer = new WriteBuffer({ logger, initialRetryMs: 10, maxRetryMs: 20 });
    const stored = new DrizzleAlertStore(database.db, buffer);
    // The same store, unreachable until `reachable`: every read and write fails as a cut connection would.
    const flaky = new Proxy(stored, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== 'function' || property === 'recordLater') return value;
        return (...args: unknown[]) => (reachable ? value.apply(target, args) : Promise.reject(down()));
      },
    });
    buffer.register('alert', async (data) => {
      if (!reachable) throw down();
      const alert = data as Parameters<DrizzleAlertStore['insertIfAbsent']>[0];
      await stored.insertIfAbsent({ ...alert, createdAt: new Date(alert.createdAt) });
    });
    const service = new AlertService({
      store: flaky,
      notifier,
      questions: support,
      logger,
      channelId: 'C0SUPPORT',
      escalateAfterMs: 15 * MINUTE,
      clock,
    });
    const answer = await ask('Checkout is down for everyone, urgent');
    const alert = await service.raise(answer);
    expect(alert).toMatchObject({ id: 0, unrecorded: true, questionId: answer.question.id });
    expect(notifier.posted).toHaveLength(1);

    reachable = true;
    expect(await buffer.flush(2_000)).toBe(true);
    const rows = await database.db.select().from(alerts).where(eq(alerts.questionId, answer.question.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.messageTs).toBe(alert?.messageTs);
    const outcome = await service.takeByQuestion(answer.question.id, 'U0AGENT2');
    expect(outcome).toMatchObject({ kind: 'taken', details: { alert: { takenBy: 'U0AGENT2' } } });
    await buffer.close();
  });
});
