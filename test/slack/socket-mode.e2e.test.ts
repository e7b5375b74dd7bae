import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { feedback, questions, tickets } from '../../src/db/schema/index.js';
import { createLogger } from '../../src/observability/logger.js';
import { BOT_ID, type EmulatedMessage, GENERAL_CHANNEL_ID } from '../../src/playground/emulator/index.js';
import { runKbServer } from '../../src/servers/kb/main.js';
import type { RunningMcpServer } from '../../src/servers/shared/serve.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';
import { startTestDeskhand, type TestDeskhand } from '../harness/deskhand.js';
import { type FakeSlack, startFakeSlack } from '../harness/fake-slack.js';
import {
  type EnvelopeRecord,
  type FakeSocketMode,
  startFakeSocketMode,
} from '../harness/fake-socket-mode.js';
import { DESKHAND_BIN } from '../harness/mcp-client.js';

const ASKER = 'U0ASKER';
/** Slack's limit for an ack; past it a person sees an error and an event is redelivered. */
const ACK_LIMIT_MS = 3_000;
/** How soon after a `disconnect` the bot must be connected again. */
const RECONNECT_LIMIT_MS = 15_000;

const cardText = (message: EmulatedMessage | undefined) =>
  JSON.stringify(message?.blocks ?? []) + (message?.text ?? '');
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function waitFor<T>(find: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error('not found in time');
    await pause(50);
  }
}
const ackMs = (record: EnvelopeRecord) => (record.ackedAt ?? Number.POSITIVE_INFINITY) - record.sentAt;

// The knowledge base runs in this process over streamable HTTP: a spawned server can take longer to
// start on a loaded machine than deskhand's connect timeout, which is not what these tests are about.
let kb: RunningMcpServer;
const kbServices = () => `services:
  kb:
    transport: http
    url: ${kb.url}
    timeout_ms: 10000
    label: Knowledge base
`;
beforeAll(async () => {
  kb = await runKbServer({
    transport: 'http',
    port: 0,
    knowledgeDir: join(process.cwd(), 'knowledge'),
    logger: createLogger({ level: 'silent' }),
  });
});
afterAll(async () => {
  await kb?.close();
});

describe('Socket Mode, end to end through the real deskhand and a fake Socket Mode endpoint', () => {
  let t: TestDeskhand;
  let socket: FakeSocketMode;

  beforeAll(async () => {
    t = await startTestDeskhand({ socketMode: true, servicesYaml: kbServices() });
    socket = t.socket as FakeSocketMode;
    await waitFor(
      async () => t.deskhand.registry.status().every((status) => status.state === 'connected') || undefined,
      60_000,
    );
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
  });

  /** The bot's messages that appear from now on. */
  function botMessagesFromNow(): () => EmulatedMessage[] {
    const before = new Set(
      t.slack.workspace.allMessages().map((message) => `${message.channel}/${message.ts}`),
    );
    return () =>
      t.slack.workspace
        .allMessages()
        .filter((message) => !before.has(`${message.channel}/${message.ts}`) && message.bot_id === BOT_ID);
  }

  /** Every envelope carrying this event, first delivery and redeliveries. */
  const envelopesOfEvent = (eventId: string) =>
    socket.envelopes.filter((record) => record.payload.event_id === eventId);

  it('opens its connection through SLACK_API_URL with the app token, and gets hello', async () => {
    const opens = t.slack.calls('apps.connections.open');
    expect(opens.length).toBeGreaterThanOrEqual(1);
    expect(socket.opens[0]).toMatchObject({ token: socket.appToken, viaHeader: true, ok: true });
    expect(socket.connections).toHaveLength(1);
    expect(socket.openConnections).toHaveLength(1);
  });

  it('answers /healthz, /readyz and /metrics on PORT, and has no /slack/events', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      const response = await fetch(`${t.deskhand.url}${path}`);
      expect(response.status, path).toBe(200);
    }
    const metrics = await (await fetch(`${t.deskhand.url}/metrics`)).text();
    expect(metrics).toContain('# TYPE');
    expect(metrics).toMatch(/^deskhand_questions_waiting 0$/m);
    expect(metrics).toMatch(/^deskhand_questions_answering \d+$/m);
    expect(metrics).toMatch(/^deskhand_questions_turn_limit ([2-9]|[1-5]\d|6[0-4])$/m);
    const events = await fetch(`${t.deskhand.url}/slack/events`, { method: 'POST', body: '{}' });
    expect(events.status).toBe(404);
  });

  it('acks /support within 3 s with the "looking it up" reply, then answers privately', async () => {
    const delivery = await t.driver.slashCommand({ userId: ASKER, text: 'How do I reset my password?' });
    expect(delivery.status).toBe(200);
    expect(delivery.body).toContain('Looking up');
    const [envelope] = socket.envelopes.filter((record) => record.type === 'slash_commands');
    expect(envelope?.payload).toMatchObject({ command: '/support', text: 'How do I reset my password?' });
    expect(ackMs(envelope as EnvelopeRecord)).toBeLessThan(ACK_LIMIT_MS);

    const card = await t.slack.waitForMessage(
      (message) => message.ephemeralTo === ASKER && /answer_create_ticket/.test(cardText(message)),
      15_000,
    );
    expect(cardText(card)).toContain('Reset your password');
    const [row] = await t.database.db.select().from(questions).where(eq(questions.entryPoint, 'slash'));
    expect(row).toMatchObject({ askerId: ASKER, found: true, status: 'answered' });
  });

  it('an answer button (Solved) is acked and stored once', async () => {
    await t.driver.slashCommand({ userId: ASKER, text: 'password reset link expired' });
    const card = await t.slack.waitForMessage(
      (message) =>
        message.ephemeralTo === ASKER &&
        /link expired/.test(cardText(message)) &&
        /answer_solved/.test(cardText(message)),
      15_000,
    );
    const questionId = /"value":"([0-9a-f-]{36})"/.exec(JSON.stringify(card.blocks))?.[1] as string;
    const click = await t.driver.blockAction({
      userId: ASKER,
      message: { channel: card.channel, ts: card.ts },
      action: { action_id: 'answer_solved', value: questionId },
    });
    expect(click.status).toBe(200);
    const envelope = socket.envelopes.findLast((record) => record.payload.type === 'block_actions');
    expect(envelope?.type).toBe('interactive');
    expect(ackMs(envelope as EnvelopeRecord)).toBeLessThan(ACK_LIMIT_MS);
    await t.slack.waitForMessage(
      (message) => message.ts === card.ts && /Glad/.test(cardText(message)),
      10_000,
    );
    const stored = await t.database.db.select().from(feedback).where(eq(feedback.questionId, questionId));
    expect(stored).toMatchObject([{ userId: ASKER, kind: 'solved' }]);
  });

  it('the ticket modal: errors come back in the ack payload, a good submission closes it and saves the ticket', async () => {
    await t.driver.slashCommand({ userId: ASKER, text: 'How do I reset my password?' });
    const card = await t.slack.waitForMessage(
      (message) =>
        message.ephemeralTo === ASKER &&
        /reset my password/.test(cardText(message)) &&
        /answer_create_ticket/.test(cardText(message)),
      15_000,
    );
    const questionId = /"value":"([0-9a-f-]{36})"/.exec(JSON.stringify(card.blocks))?.[1] as string;
    t.slack.clearCalls();
    await t.driver.blockAction({
      userId: ASKER,
      message: { channel: card.channel, ts: card.ts },
      action: { action_id: 'answer_create_ticket', value: questionId },
    });
    const opened = await t.slack.waitForCall('views.open', undefined, 10_000);
    const viewId = (opened.response as { view?: { id?: string } }).view?.id as string;

    const refused = await t.driver.viewSubmission({
      userId: ASKER,
      viewId,
      values: { subject_input: '', email_input: 'not-an-email' },
    });
    expect(refused.outcome).toBe('errors');
    expect(refused.errors).toMatchObject({
      subject: expect.stringMatching(/subject/),
      email: expect.stringMatching(/email/),
    });
    const refusal = socket.envelopes.findLast((record) => record.payload.type === 'view_submission');
    expect(refusal?.ackPayload).toMatchObject({ response_action: 'errors' });
    expect(ackMs(refusal as EnvelopeRecord)).toBeLessThan(ACK_LIMIT_MS);
    expect(await t.database.db.select().from(tickets).where(eq(tickets.questionId, questionId))).toEqual([]);

    const accepted = await t.driver.viewSubmission({
      userId: ASKER,
      viewId,
      values: { subject_input: 'Invoices are wrong', email_input: 'asker@acme.example' },
    });
    expect(accepted.outcome).toBe('closed');
    const ticket = await waitFor(async () => {
      const [row] = await t.database.db.select().from(tickets).where(eq(tickets.questionId, questionId));
      return row;
    });
    expect(ticket).toMatchObject({ subject: 'Invoices are wrong', customerEmail: 'asker@acme.example' });
  });

  it('the message shortcut ask_support answers only the person who used it', async () => {
    const original = t.slack.workspace.postMessage({
      channel: GENERAL_CHANNEL_ID,
      user: 'U0AGENT1',
      text: 'How do I reset my password from the app?',
    });
    const delivery = await t.driver.messageShortcut({
      userId: ASKER,
      channelId: GENERAL_CHANNEL_ID,
      messageTs: original.ts,
    });
    expect(delivery.status).toBe(200);
    const envelope = socket.envelopes.findLast((record) => record.payload.type === 'message_action');
    expect(ackMs(envelope as EnvelopeRecord)).toBeLessThan(ACK_LIMIT_MS);
    const answer = await t.slack.waitForMessage(
      (message) =>
        message.ephemeralTo === ASKER &&
        /from the app/.test(cardText(message)) &&
        /answer_solved/.test(cardText(message)),
      15_000,
    );
    expect(cardText(answer)).toContain('Reset your password');
    const [row] = await t.database.db.select().from(questions).where(eq(questions.entryPoint, 'shortcut'));
    expect(row).toMatchObject({ askerId: ASKER, messageTs: original.ts });
  });

  it('a mention is answered in its thread', async () => {
    const sent = await t.driver.appMention({ userId: ASKER, text: 'how do I reset my password?' });
    expect(sent.status).toBe(200);
    const [envelope] = envelopesOfEvent(sent.eventId);
    expect(envelope).toMatchObject({ type: 'events_api', retryAttempt: 0 });
    expect(ackMs(envelope as EnvelopeRecord)).toBeLessThan(ACK_LIMIT_MS);
    const answer = await t.slack.waitForMessage(
      (message) => message.bot_id === BOT_ID && message.thread_ts === sent.message.ts,
      15_000,
    );
    expect(cardText(answer)).toContain('Reset your password');
  });

  it('a DM is answered in the DM', async () => {
    const sent = await t.driver.directMessage({ userId: ASKER, text: 'password reset please' });
    expect(sent.status).toBe(200);
    const answer = await t.slack.waitForMessage(
      (message) =>
        message.channel === sent.message.channel &&
        message.bot_id === BOT_ID &&
        /answer_solved/.test(cardText(message)),
      15_000,
    );
    expect(cardText(answer)).toContain('Reset your password');
    const [row] = await t.database.db.select().from(questions).where(eq(questions.entryPoint, 'dm'));
    expect(row).toMatchObject({ channelKind: 'im', askerId: ASKER });
  });

  for (const reason of ['warning', 'refresh_requested', 'link_disabled'] as const) {
    it(`after disconnect (${reason}) it opens a new connection within 15 s, and a DM then is answered once`, async () => {
      const before = socket.connections.length;
      const disconnectedAt = Date.now();
      socket.disconnect(reason);
      const next = await socket.waitForConnections(before + 1, RECONNECT_LIMIT_MS);
      expect(next.openedAt - disconnectedAt).toBeLessThan(RECONNECT_LIMIT_MS);
      expect(socket.opens.at(-1)).toMatchObject({ ok: true, token: socket.appToken });
      await answeredOnce(`password after ${reason}`);
    }, 30_000);
  }

  it('a socket dropped right after an event was sent: the event comes again on the new connection, answered once', async () => {
    const before = socket.connections.length;
    socket.failNextEnvelope('drop-before-ack');
    const { eventId } = await answeredOnce('password after a dropped socket');
    expect(socket.connections.length).toBeGreaterThan(before);
    const deliveries = envelopesOfEvent(eventId);
    expect(deliveries.map((record) => record.retryAttempt)).toEqual([0, 1]);
    expect(deliveries[1]).toMatchObject({ retryReason: 'timeout' });
    expect(deliveries[1]?.connectionId).not.toBe(deliveries[0]?.connectionId);
  }, 30_000);

  it('an ack lost with its socket: the event redelivered on the new connection is recognised by its event_id', async () => {
    socket.failNextEnvelope('drop-on-ack');
    const { eventId } = await answeredOnce('password after a lost ack');
    const deliveries = envelopesOfEvent(eventId);
    expect(deliveries.map((record) => record.retryAttempt)).toEqual([0, 1]);
    expect(deliveries[1]?.connectionId).not.toBe(deliveries[0]?.connectionId);
  }, 30_000);

  it('an unacked event is redelivered after 3 s with retry_attempt 1 and retry_reason timeout, answered once', async () => {
    socket.failNextEnvelope('lose-ack');
    const { eventId } = await answeredOnce('password after an ack that never came');
    const deliveries = envelopesOfEvent(eventId);
    expect(deliveries).toMatchObject([
      { retryAttempt: 0, retryReason: '' },
      { retryAttempt: 1, retryReason: 'timeout' },
    ]);
    expect((deliveries[1]?.sentAt ?? 0) - (deliveries[0]?.sentAt ?? 0)).toBeGreaterThanOrEqual(
      ACK_LIMIT_MS - 50,
    );
    expect(deliveries[1]?.connectionId).toBe(deliveries[0]?.connectionId);
  }, 30_000);

  it('no envelope was acked twice, and every ack came within 3 s', () => {
    expect(socket.envelopes.filter((record) => record.acks > 1)).toEqual([]);
    const acked = socket.envelopes.filter((record) => record.ackedAt !== undefined);
    expect(acked.length).toBeGreaterThan(10);
    expect(Math.max(...acked.map(ackMs))).toBeLessThan(ACK_LIMIT_MS);
  });

  /** Sends a DM and waits until the delivery is acked and answered; checks it was answered and stored once. */
  async function answeredOnce(text: string): Promise<{ eventId: string }> {
    const fresh = botMessagesFromNow();
    const sent = await t.driver.directMessage({ userId: ASKER, text });
    expect(sent.status).toBe(200);
    await t.slack.waitForMessage(
      (message) =>
        message.channel === sent.message.channel &&
        message.bot_id === BOT_ID &&
        cardText(message).includes(text) &&
        /answer_solved/.test(cardText(message)),
      20_000,
    );
    // Give a duplicate the time it would need to show up.
    await pause(1_000);
    expect(
      fresh().filter(
        (message) => cardText(message).includes(text) && /answer_solved/.test(cardText(message)),
      ),
    ).toHaveLength(1);
    const rows = await t.database.db
      .select()
      .from(questions)
      .where(and(eq(questions.entryPoint, 'dm'), eq(questions.text, text)));
    expect(rows).toHaveLength(1);
    const [claims] = await t.database.rows<{ n: number }>(
      sql`select count(*)::int as n from slack_events where key = ${`event:${sent.eventId}`}`,
    );
    expect(claims?.n).toBe(1);
    return { eventId: sent.eventId };
  }
});

describe('Socket Mode refusals, and what doctor says', () => {
  let slack: FakeSlack;
  let socket: FakeSocketMode;
  let database: TestDatabase;

  beforeAll(async () => {
    slack = await startFakeSlack();
    socket = await startFakeSocketMode(slack);
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await socket?.close();
    await slack?.close();
    await database?.drop();
  });

  it('apps.connections.open takes only the app token: a bot token is not_allowed_token_type, another is invalid_auth', async () => {
    await expect(slack.client({}, slack.botToken).apps.connections.open()).rejects.toMatchObject({
      data: { error: 'not_allowed_token_type' },
    });
    await expect(slack.client({}, 'xapp-1-A0OTHER-1-wrong').apps.connections.open()).rejects.toMatchObject({
      data: { error: 'invalid_auth' },
    });
    const inBody = await fetch(`${slack.apiUrl}apps.connections.open`, {
      method: 'POST',
      body: new URLSearchParams({ token: socket.appToken }),
    });
    expect(await inBody.json()).toEqual({ ok: false, error: 'not_authed' });
    const opened = await slack.client({}, socket.appToken).apps.connections.open();
    expect(opened.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=[\w-]+&app_id=\w+$/);

    // A URL is good for one connection, which Slack greets with hello.
    const first = new WebSocket(opened.url as string);
    const hello = await new Promise<Record<string, unknown>>((resolve) =>
      first.once('message', (data) => resolve(JSON.parse(data.toString()) as Record<string, unknown>)),
    );
    expect(hello).toMatchObject({
      type: 'hello',
      num_connections: 1,
      connection_info: { app_id: socket.appId },
      debug_info: { host: expect.any(String) },
    });
    const second = new WebSocket(opened.url as string);
    second.on('error', () => {});
    const refused = await new Promise<number>((resolve) =>
      second.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0)),
    );
    expect(refused).toBe(401);
    second.terminate();
    first.close();
    await socket.waitForConnections(1);
    await waitFor(async () => (socket.openConnections.length === 0 ? true : undefined));
  });

  it('a wrong app token stops the start with one clear message naming SLACK_APP_TOKEN', async () => {
    const started = startTestDeskhand({
      socketMode: true,
      servicesYaml: kbServices(),
      env: { SLACK_APP_TOKEN: 'xapp-1-A0OTHER-1-wrong' },
    });
    await expect(started).rejects.toThrow(
      /SLACK_APP_TOKEN was refused by Slack \(apps.connections.open: invalid_auth\)/,
    );
  }, 60_000);

  async function doctor(appToken: string): Promise<{ code: number; stdout: string }> {
    const dir = mkdtempSync(join(tmpdir(), 'deskhand-doctor-'));
    return promisify(execFile)(process.execPath, [DESKHAND_BIN, 'doctor'], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_APP_TOKEN: appToken,
        SLACK_API_URL: slack.apiUrl,
        ...(database.url ? { DATABASE_URL: database.url } : { DESKHAND_DATA_DIR: join(dir, 'data') }),
        KNOWLEDGE_DIR: join(process.cwd(), 'knowledge'),
      },
    }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
  }

  it('doctor checks the bot token with auth.test and the app token with apps.connections.open', async () => {
    const opensBefore = socket.opens.length;
    const connectionsBefore = socket.connections.length;
    const { stdout } = await doctor(socket.appToken);
    expect(stdout).toMatch(/configuration\s+ok\s+Slack: socket mode/);
    expect(stdout).toMatch(/slack: bot token\s+ok\s+auth.test: team \w+/);
    expect(stdout).toMatch(
      /slack: socket mode\s+ok\s+apps.connections.open with the app token: WebSocket URL issued/,
    );
    expect(stdout).not.toMatch(/slack: .*FAIL/);
    expect(socket.opens.slice(opensBefore)).toMatchObject([
      { token: socket.appToken, viaHeader: true, ok: true },
    ]);
    // doctor only asks for a URL: it never opens a connection that would take the bot's envelopes.
    expect(socket.openConnections).toEqual([]);
    expect(socket.connections).toHaveLength(connectionsBefore);
  }, 60_000);

  it('doctor fails, with exit 1, when Slack refuses the app token', async () => {
    const { code, stdout } = await doctor('xapp-1-A0OTHER-1-wrong');
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /slack: socket mode\s+FAIL\s+SLACK_APP_TOKEN refused by apps.connections.open: invalid_auth/,
    );
    expect(stdout).not.toContain('xapp-1-A0OTHER-1-wrong');
  }, 60_000);
});
