import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DrizzleAlertStore } from '../../src/db/repositories/alert-store.js';
import { DrizzleDeliveryLedger } from '../../src/db/repositories/delivery-ledger.js';
import { DrizzleSupportStore } from '../../src/db/repositories/support-store.js';
import { DrizzleThreadQuestions } from '../../src/db/repositories/thread-questions.js';
import { DrizzleTicketStore } from '../../src/db/repositories/ticket-store.js';
import { alerts, questions, tickets } from '../../src/db/schema/index.js';
import { createLogger } from '../../src/observability/logger.js';
import {
  BOT_DM_CHANNEL_ID,
  BOT_ID,
  BOT_USER_ID,
  DEFAULT_USER_ID,
  type EmulatedMessage,
  GENERAL_CHANNEL_ID,
  SUPPORT_ALERTS_CHANNEL_ID,
} from '../../src/playground/emulator/index.js';
import { WorkTracker } from '../../src/runtime/work-tracker.js';
import { SlackAlertNotifier } from '../../src/slack/alert-notifier.js';
import { createSlackApp, type SlackApp } from '../../src/slack/app.js';
import type { SlackDeps } from '../../src/slack/deps.js';
import { AlertService, EscalationWorker } from '../../src/support/alerts/index.js';
import type { KnowledgeSource } from '../../src/support/ports.js';
import { SupportService } from '../../src/support/support-service.js';
import { TicketService } from '../../src/support/tickets/index.js';
import { loadTriager } from '../../src/support/triage.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';
import { type FakeSlack, startFakeSlack } from '../harness/fake-slack.js';
import { type SlackOutbound, slackDriver } from '../harness/slack-driver.js';

const ASKER = DEFAULT_USER_ID;
const AGENTS = ['U0AGENT1', 'U0AGENT2'] as const;
const ONCALL = 'S0ONCALL';
const logger = createLogger({ level: 'silent' });

/** A knowledge base with one article, so answers are found for password questions and not otherwise. */
const knowledgeBase: KnowledgeSource = {
  name: 'kb',
  label: 'Knowledge base',
  isAvailable: () => true,
  search: async (query) =>
    /password/i.test(query)
      ? [
          {
            source: 'kb',
            title: 'Reset your password',
            snippet: 'Use the Forgot password link on the sign-in page to reset your password.',
            url: 'https://help.acme.example/articles/reset-password',
            score: 5,
          },
        ]
      : [],
};

const cardText = (message: EmulatedMessage | undefined) =>
  JSON.stringify(message?.blocks ?? []) + (message?.text ?? '');
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually<T>(read: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await pause(25);
  }
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await pause(20);
  }
}

/** The real Bolt app with every listener, on deskhand's HTTP receiver, talking to the fake Slack. */
class Workspace {
  slack!: FakeSlack;
  driver!: SlackOutbound;
  database!: TestDatabase;
  deps!: SlackDeps;
  app!: SlackApp;
  private server!: Server;

  async start(): Promise<void> {
    this.slack = await startFakeSlack();
    this.database = await createTestDatabase();
    const db = this.database.db;
    const support = new SupportService({
      sources: [knowledgeBase],
      store: new DrizzleSupportStore(db),
      logger,
      triager: loadTriager(),
      lookupDeadlineMs: 2000,
      questionMaxChars: 2000,
    });
    this.deps = {
      support,
      deliveries: new DrizzleDeliveryLedger(db),
      work: new WorkTracker(),
      logger,
      tickets: new TicketService({ store: new DrizzleTicketStore(db), logger }),
      alerts: this.alertService(support),
      threads: new DrizzleThreadQuestions(db),
      settings: {
        ticketsEnabled: false,
        supportAdmins: [],
        everyoneIsAdminWithoutList: true,
        alertChannel: SUPPORT_ALERTS_CHANNEL_ID,
      },
    };
    this.app = createSlackApp({
      connection: { kind: 'http', botToken: this.slack.botToken, signingSecret: this.slack.signingSecret },
      slackApiUrl: this.slack.apiUrl,
      deps: this.deps,
      logger,
      maxBodyBytes: 1024 * 1024,
    });
    this.server = createServer(this.app.requestListener);
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.driver = slackDriver(this.slack, `http://127.0.0.1:${port}/slack/events`);
  }

  /** An alert service as another replica would build it: same database, same Slack. */
  alertService(support = this.deps.support): AlertService {
    return new AlertService({
      store: new DrizzleAlertStore(this.database.db),
      notifier: new SlackAlertNotifier({ client: () => this.app?.app.client, oncallUsergroup: ONCALL }),
      questions: support,
      logger,
      channelId: SUPPORT_ALERTS_CHANNEL_ID,
      escalateAfterMs: 15 * 60_000,
    });
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
    await this.slack?.close();
    await this.database?.drop();
  }

  /** Messages that appear from now on and match, oldest first, after a short settle. */
  newMessages(): () => EmulatedMessage[] {
    const before = new Set(
      this.slack.workspace.allMessages().map((message) => `${message.channel}/${message.ts}`),
    );
    return () =>
      this.slack.workspace.allMessages().filter((message) => !before.has(`${message.channel}/${message.ts}`));
  }

  async questionRows(where = sql`true`) {
    return this.database.db.select().from(questions).where(where).orderBy(questions.createdAt);
  }
}

describe('every way in, through the real Bolt app', () => {
  const w = new Workspace();
  beforeAll(async () => {
    await w.start();
  });
  afterAll(async () => {
    await w.stop();
  });

  describe('an urgent question', () => {
    let alertMessage: EmulatedMessage;
    let questionId: string;

    it('gets a ticket and alerts the support channel with "Take it"', async () => {
      await w.driver.slashCommand({ userId: ASKER, text: 'The billing page is down for our whole team' });
      const answer = await w.slack.waitForMessage(
        (message) => message.ephemeralTo === ASKER && /answer_followup/.test(cardText(message)),
        10_000,
      );
      expect(cardText(answer)).toMatch(/Ticket #\d+ saved for you/);
      expect(cardText(answer)).toContain('support team has been alerted');

      alertMessage = await w.slack.waitForMessage(
        (message) => message.channel === SUPPORT_ALERTS_CHANNEL_ID && /alert_take/.test(cardText(message)),
      );
      const text = cardText(alertMessage);
      expect(text).toContain(`<@${ASKER}>`);
      expect(text).toContain(`<#${GENERAL_CHANNEL_ID}>`);
      expect(text).toContain('The billing page is down for our whole team');
      expect(text).toContain('Ticket');

      const [question] = await w.questionRows(eq(questions.askerId, ASKER));
      questionId = question?.id as string;
      expect(question).toMatchObject({ urgency: 'high', entryPoint: 'slash', channelKind: 'public' });
      const [ticket] = await w.database.db.select().from(tickets).where(eq(tickets.questionId, questionId));
      expect(ticket).toMatchObject({ reason: 'urgent', priority: 'urgent', status: 'local' });
      const [alert] = await w.database.db.select().from(alerts).where(eq(alerts.questionId, questionId));
      expect(alert).toMatchObject({
        channelId: SUPPORT_ALERTS_CHANNEL_ID,
        messageTs: alertMessage.ts,
        ticketId: ticket?.id,
        takenBy: null,
      });
    });

    it('"Take it" clicked by two people at once gives it one owner; the other is told who', async () => {
      const [alert] = await w.database.db.select().from(alerts).where(eq(alerts.questionId, questionId));
      const clicks = await Promise.all(
        AGENTS.map((userId) =>
          w.driver.blockAction({
            userId,
            message: { channel: alertMessage.channel, ts: alertMessage.ts },
            action: { action_id: 'alert_take', value: String(alert?.id) },
          }),
        ),
      );
      expect(clicks.map((click) => click.status)).toEqual([200, 200]);

      const taken = await w.slack.waitForMessage(
        (message) => message.ts === alertMessage.ts && /Taken by/.test(cardText(message)),
      );
      const [row] = await w.database.db
        .select()
        .from(alerts)
        .where(eq(alerts.id, alert?.id as number));
      const owner = row?.takenBy as string;
      expect(AGENTS).toContain(owner);
      expect(row?.takenAt).toBeInstanceOf(Date);
      expect(cardText(taken)).toContain(`Taken by <@${owner}>`);
      expect(cardText(taken)).not.toContain('"action_id":"alert_take"');

      const other = AGENTS.find((agent) => agent !== owner) as string;
      const refusal = await w.slack.waitForMessage(
        (message) => message.ephemeralTo === other && /Already taken/.test(cardText(message)),
      );
      expect(cardText(refusal)).toContain(`<@${owner}>`);
      const toldAsker = await w.slack.waitForMessage(
        (message) => message.channel === BOT_DM_CHANNEL_ID && /is on it/.test(cardText(message)),
      );
      expect(cardText(toldAsker)).toContain(`<@${owner}>`);
    });

    it('an alert no one takes is escalated once in its thread, mentioning on-call, with two workers', async () => {
      await w.driver.slashCommand({ userId: ASKER, text: '--urgent invoices will not send' });
      const card = await w.slack.waitForMessage(
        (message) =>
          message.channel === SUPPORT_ALERTS_CHANNEL_ID && /invoices will not send/.test(cardText(message)),
        10_000,
      );
      const ofThisQuestion = sql`${alerts.questionId} in (select id from questions where text = 'invoices will not send')`;
      // The card is in Slack a moment before its ts is stored: wait for the row to know it.
      await waitFor(async () => {
        const [row] = await w.database.db.select().from(alerts).where(ofThisQuestion);
        return row?.messageTs === card.ts;
      });
      await w.database.db
        .update(alerts)
        .set({ createdAt: sql`now() - interval '20 minutes'` })
        .where(ofThisQuestion);
      const workers = [w.alertService(), w.alertService()].map(
        (service) => new EscalationWorker({ alerts: service, logger }),
      );
      const counts = await Promise.all(workers.map((worker) => worker.runOnce()));
      expect(counts.sort()).toEqual([0, 1]);
      expect(await Promise.all(workers.map((worker) => worker.runOnce()))).toEqual([0, 0]);

      const replies = w.slack
        .messagesIn(SUPPORT_ALERTS_CHANNEL_ID)
        .filter((message) => message.thread_ts === card.ts && message.ts !== card.ts);
      expect(replies.map((reply) => reply.text)).toEqual([expect.stringContaining(`<!subteam^${ONCALL}>`)]);
      const updated = await w.slack.waitForMessage(
        (message) => message.ts === card.ts && /Escalated/.test(cardText(message)),
      );
      expect(cardText(updated)).toContain('"action_id":"alert_take"');
    });
  });

  it('without ALERT_CHANNEL an urgent question still gets its ticket, and no alert is posted', async () => {
    const alertService = w.deps.alerts;
    w.deps.alerts = undefined;
    try {
      const fresh = w.newMessages();
      await w.driver.slashCommand({ userId: ASKER, text: 'security breach on the staging admin' });
      const answer = await w.slack.waitForMessage(
        (message) =>
          message.ephemeralTo === ASKER &&
          /staging admin/.test(cardText(message)) &&
          /answer_followup/.test(cardText(message)),
        10_000,
      );
      expect(cardText(answer)).toMatch(/Ticket #\d+ saved/);
      expect(cardText(answer)).not.toContain('alerted');
      expect(fresh().filter((message) => message.channel === SUPPORT_ALERTS_CHANNEL_ID)).toEqual([]);
      const rows = await w.database.db
        .select({ id: alerts.id })
        .from(alerts)
        .where(
          sql`${alerts.questionId} in (select id from questions where text = 'security breach on the staging admin')`,
        );
      expect(rows).toEqual([]);
    } finally {
      w.deps.alerts = alertService;
    }
  });

  it('the shortcut answers only the person who used it, with a link back to the message', async () => {
    const original = w.slack.workspace.postMessage({
      channel: GENERAL_CHANNEL_ID,
      user: 'U0AGENT1',
      text: 'How do I reset my password &amp; username?',
    });
    const delivery = await w.driver.messageShortcut({
      userId: ASKER,
      channelId: GENERAL_CHANNEL_ID,
      messageTs: original.ts,
    });
    expect(delivery.status).toBe(200);
    const answer = await w.slack.waitForMessage(
      (message) =>
        message.ephemeralTo === ASKER &&
        /answer_solved/.test(cardText(message)) &&
        /About/.test(cardText(message)),
      10_000,
    );
    expect(cardText(answer)).toContain('Reset your password');
    expect(cardText(answer)).toContain(`/archives/${GENERAL_CHANNEL_ID}/p${original.ts.replace('.', '')}`);
    const [row] = await w.questionRows(eq(questions.entryPoint, 'shortcut'));
    expect(row).toMatchObject({
      text: 'How do I reset my password & username?',
      askerId: ASKER,
      channelId: GENERAL_CHANNEL_ID,
      channelKind: 'public',
      messageTs: original.ts,
    });
    expect(row?.permalink).toContain('/archives/');
  });

  it('a mention is answered in its thread, and a mention in that thread is a follow-up', async () => {
    const first = await w.driver.appMention({ userId: ASKER, text: 'how do I reset my password?' });
    const answer = await w.slack.waitForMessage(
      (message) => message.bot_id === BOT_ID && message.thread_ts === first.message.ts,
      10_000,
    );
    expect(answer.channel).toBe(GENERAL_CHANNEL_ID);
    expect(cardText(answer)).toContain('Reset your password');
    expect(cardText(answer)).not.toContain(`<@${BOT_USER_ID}>`);

    const followUp = await w.driver.appMention({
      userId: ASKER,
      text: 'and what if the email never arrives?',
      threadTs: first.message.ts,
    });
    await w.slack.waitForMessage(
      (message) =>
        message.bot_id === BOT_ID &&
        message.thread_ts === first.message.ts &&
        /what if the email never arrives/.test(cardText(message)),
      10_000,
    );
    const rows = await w.questionRows(eq(questions.entryPoint, 'mention'));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      text: 'how do I reset my password?',
      parentQuestionId: null,
      threadTs: first.message.ts,
    });
    expect(rows[1]).toMatchObject({
      parentQuestionId: rows[0]?.id,
      messageTs: followUp.message.ts,
      threadTs: first.message.ts,
    });
    expect(rows[1]?.text).toContain('how do I reset my password?');
  });

  it('a mention whose thread Slack will not take: the asker sees the answer privately in the channel', async () => {
    // The first post and the WebClient's three retries answered 503.
    w.slack.failNext('chat.postMessage', { status: 503 }, 4);
    const sent = await w.driver.appMention({ userId: ASKER, text: 'how do I export my data to CSV?' });
    const shown = await w.slack.waitForMessage(
      (message) => message.ephemeralTo === ASKER && /export/i.test(cardText(message)),
      20_000,
    );
    expect(shown.channel).toBe(GENERAL_CHANNEL_ID);
    const threadPosts = w.slack
      .calls('chat.postMessage')
      .filter((call) => call.args.thread_ts === sent.message.ts);
    expect(threadPosts.map((call) => call.status)).toEqual([503, 503, 503, 503]);
  }, 30_000);

  it('a DM is answered in the DM', async () => {
    const sent = await w.driver.directMessage({ userId: ASKER, text: 'password reset please' });
    const answer = await w.slack.waitForMessage(
      (message) =>
        message.channel === sent.message.channel &&
        message.bot_id === BOT_ID &&
        /answer_solved/.test(cardText(message)),
      10_000,
    );
    expect(answer.thread_ts).toBeUndefined();
    expect(cardText(answer)).toContain('Reset your password');
    const [row] = await w.questionRows(eq(questions.entryPoint, 'dm'));
    expect(row).toMatchObject({ channelKind: 'im', channelId: sent.message.channel, askerId: ASKER });
  });

  it('a DM Slack will not take is counted as lost, not thrown at Bolt', async () => {
    const shown: string[] = [];
    w.deps.cardsShown = { shown: (where) => shown.push(where) };
    try {
      // The first post and the WebClient's three retries answered 503.
      w.slack.failNext('chat.postMessage', { status: 503 }, 4);
      await w.driver.directMessage({ userId: ASKER, text: 'how do i export my data to csv?' });
      await eventually(() => (shown.length > 0 ? true : undefined), 20_000);
      expect(shown).toEqual(['lost']);
      const [row] = await w.questionRows(
        and(eq(questions.entryPoint, 'dm'), eq(questions.text, 'how do i export my data to csv?')),
      );
      expect(row?.answerMs).not.toBeNull(); // answered and stored; only the card did not land
      await w.driver.directMessage({ userId: ASKER, text: 'and how do i import a csv?' });
      await eventually(() => (shown.length > 1 ? true : undefined), 20_000);
      expect(shown).toEqual(['lost', 'in_place']);
    } finally {
      w.deps.cardsShown = undefined;
    }
  }, 30_000);

  it('ignores its own messages, other bots, edits, joins and other subtypes', async () => {
    const fresh = w.newMessages();
    const before = await w.questionRows(eq(questions.entryPoint, 'dm'));
    const base = { type: 'message', channel: BOT_DM_CHANNEL_ID, channel_type: 'im', text: 'password outage' };
    const deliveries = await Promise.all([
      w.driver.event({ ...base, user: BOT_USER_ID, bot_id: BOT_ID, ts: '1700000001.000100' }),
      w.driver.event({ ...base, user: 'U0OTHERBOT', bot_id: 'B0OTHER', ts: '1700000002.000100' }),
      w.driver.event({ ...base, subtype: 'bot_message', bot_id: 'B0OTHER', ts: '1700000003.000100' }),
      w.driver.event({
        ...base,
        subtype: 'message_changed',
        ts: '1700000004.000100',
        message: { user: ASKER, text: 'password outage (edited)', ts: '1700000000.000100' },
      }),
      w.driver.event({ ...base, subtype: 'channel_join', user: ASKER, ts: '1700000005.000100' }),
      w.driver.event({ ...base, subtype: 'message_deleted', ts: '1700000006.000100' }),
      w.driver.event({
        ...base,
        channel: GENERAL_CHANNEL_ID,
        channel_type: 'channel',
        user: ASKER,
        ts: '1700000007.000100',
      }),
    ]);
    expect(deliveries.map((delivery) => delivery.status)).toEqual(deliveries.map(() => 200));
    await pause(500);
    expect(fresh()).toEqual([]);
    expect(await w.questionRows(eq(questions.entryPoint, 'dm'))).toHaveLength(before.length);
  });

  it('a retried event delivery (same event_id, X-Slack-Retry-Num: 1) is answered once', async () => {
    const fresh = w.newMessages();
    const sent = await w.driver.directMessage({ userId: ASKER, text: 'forgot my password again' });
    await w.slack.waitForMessage(
      (message) =>
        message.channel === sent.message.channel &&
        /forgot my password again/.test(cardText(message)) &&
        message.bot_id === BOT_ID,
      10_000,
    );
    const retry = await w.driver.resend(sent.request, { retryNum: 1, retryReason: 'http_timeout' });
    expect(retry.status).toBe(200);
    await pause(500);
    const answers = fresh().filter((message) => message.bot_id === BOT_ID);
    expect(answers).toHaveLength(1);
    const rows = await w.questionRows(
      and(eq(questions.entryPoint, 'dm'), eq(questions.text, 'forgot my password again')),
    );
    expect(rows).toHaveLength(1);
  });
});
