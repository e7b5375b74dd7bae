import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../../src/config/env.js';
import { type Database, openDatabase } from '../../src/db/client.js';
import { requestEvents, requests } from '../../src/db/schema/index.js';
import { type RunningDeskhand, startDeskhand } from '../../src/main.js';
import { createLogger } from '../../src/observability/logger.js';
import {
  BOT_ID,
  BOT_USER_ID,
  DEFAULT_USER_ID,
  type EmulatedMessage,
  GENERAL_CHANNEL_ID,
  HELP_CHANNEL_ID,
  SUPPORT_ALERTS_CHANNEL_ID,
} from '../../src/playground/emulator/index.js';
import { runKbServer } from '../../src/servers/kb/main.js';
import type { RunningMcpServer } from '../../src/servers/shared/serve.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';
import { type FakeSlack, startFakeSlack } from '../harness/fake-slack.js';
import { startTcpProxy } from '../harness/tcp-proxy.js';

const ASKER = DEFAULT_USER_ID;
/** SUPPORT_ADMINS, and with no responders configured, the responders. */
const ADMINS = ['U0AGENT1', 'U0AGENT2'] as const;
const OUTSIDER = 'U0OUTSIDER';
const PRIVATE_HELP = 'G0PRIVHELP';
const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', pretty: false });

const cardText = (message: EmulatedMessage | undefined) =>
  JSON.stringify(message?.blocks ?? []) + (message?.text ?? '');
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually<T>(
  read: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await pause(25);
  }
}

/** Waits for an ephemeral notice to `userId` that says `text`; a timeout names the notices that came instead. */
async function noticeTo(slack: FakeSlack, userId: string, text: string): Promise<void> {
  try {
    await eventually(() => slack.ephemeralFor(userId).some((m) => m.text.includes(text)));
  } catch {
    const seen = slack.ephemeralFor(userId).map((m) => m.text);
    throw new Error(`no notice to ${userId} saying "${text}" in time; it got ${JSON.stringify(seen)}`);
  }
}

/** Two deskhand replicas on one database and one fake Slack, as a load balancer would spread them. */
class SupportWorkspace {
  slack!: FakeSlack;
  database!: TestDatabase;
  replicas: RunningDeskhand[] = [];
  /** The fast source: deskhand's own kb MCP server over streamable HTTP, in this process. */
  kb!: RunningMcpServer;
  private servicesFile!: string;
  private extraDatabases: Array<{ close(): Promise<void> }> = [];

  get a(): RunningDeskhand {
    return this.replicas[0] as RunningDeskhand;
  }

  get b(): RunningDeskhand {
    return (this.replicas[1] ?? this.replicas[0]) as RunningDeskhand;
  }

  async start(): Promise<void> {
    this.slack = await startFakeSlack({ echoBotMessages: true });
    this.slack.workspace.addUser({ id: OUTSIDER, name: 'olly', real_name: 'Olly Outsider', is_bot: false });
    this.slack.workspace.addChannel({ id: PRIVATE_HELP, name: 'help-private', kind: 'private', created: 1 });
    this.database = await createTestDatabase();
    this.kb = await runKbServer({ transport: 'http', port: 0, knowledgeDir: resolve('knowledge'), logger });
    this.servicesFile = join(mkdtempSync(join(tmpdir(), 'deskhand-support-')), 'mcp_services.yml');
    writeFileSync(
      this.servicesFile,
      `services:\n  kb:\n    transport: http\n    url: ${this.kb.url}\n    timeout_ms: 5000\n    profile: deskhand\n`,
    );
    this.replicas.push(await this.startReplica(this.database));
    // A second process's own pool on the same database; PGlite (no TEST_DATABASE_URL) has only one.
    if (this.database.url) {
      const second = await openDatabase({ url: this.database.url, maxConnections: 5 });
      this.extraDatabases.push(second);
      this.replicas.push(await this.startReplica(second));
    }
    this.slack.outbound.targetUrl = `${this.a.url}/slack/events`;
  }

  async startReplica(database: Database): Promise<RunningDeskhand> {
    const env = {
      SLACK_BOT_TOKEN: this.slack.botToken,
      SLACK_SIGNING_SECRET: this.slack.signingSecret,
      SLACK_API_URL: this.slack.apiUrl,
      PORT: '0',
      LOG_LEVEL: 'silent',
      QUESTIONS_PER_MINUTE: '1000',
      SUPPORT_CHANNELS: `${HELP_CHANNEL_ID},${PRIVATE_HELP}`,
      SUPPORT_ADMINS: ADMINS.join(','),
      ALERT_CHANNEL: SUPPORT_ALERTS_CHANNEL_ID,
      FIRST_RESPONSE_SLA_MINUTES: '30',
      MCP_CONFIG: this.servicesFile,
    };
    return startDeskhand(loadEnv(env), { database, env, host: '127.0.0.1', logger });
  }

  async stop(): Promise<void> {
    for (const replica of this.replicas) await replica.stop();
    for (const database of this.extraDatabases) await database.close();
    await this.kb?.close();
    await this.slack?.close();
    await this.database?.drop();
  }

  async requestOf(rootTs: string) {
    const [row] = await this.database.db.select().from(requests).where(eq(requests.rootTs, rootTs));
    return row;
  }

  async eventsOf(requestId: number) {
    return this.database.db
      .select()
      .from(requestEvents)
      .where(eq(requestEvents.requestId, requestId))
      .orderBy(requestEvents.id);
  }

  /** deskhand's messages in a thread, its root excluded. */
  botRepliesIn(channel: string, rootTs: string): EmulatedMessage[] {
    return this.slack.workspace
      .thread(channel, rootTs)
      .filter((message) => message.bot_id === BOT_ID && message.ts !== rootTs);
  }

  /** A new message in #help, and deskhand's card in its thread. */
  async ask(text: string, channelId = HELP_CHANNEL_ID) {
    const sent = await this.slack.outbound.channelMessage({ userId: ASKER, channelId, text });
    const card = await this.slack.waitForMessage(
      (message) =>
        message.bot_id === BOT_ID && message.thread_ts === sent.message.ts && message.ts !== sent.message.ts,
      10_000,
    );
    const row = await eventually(async () => {
      const found = await this.requestOf(sent.message.ts);
      return found?.replyTs ? found : undefined;
    });
    return { sent, card, row };
  }
}

describe('support channels: every new message is a tracked request', () => {
  const w = new SupportWorkspace();

  beforeAll(async () => {
    await w.start();
  }, 60_000);

  afterAll(async () => {
    await w.stop();
  });

  it('a new message in #help is answered in its thread within 2 s, with Take it and I need a human', async () => {
    // Warm the lookup path once so the timing below is the flow's, not the first process spawn's.
    await w.ask('how do I reset my password?');
    const started = Date.now();
    const { sent, card, row } = await w.ask('I forgot my password, how do I reset it?');
    const tookMs = Date.now() - started;
    expect(tookMs).toBeLessThan(2000);
    console.info(`support-channel answer in the thread after ${tookMs} ms`);

    // The card is in the thread reply itself, never added later by chat.update.
    const post = w.slack
      .calls('chat.postMessage')
      .find((call) => call.args.thread_ts === sent.message.ts && call.response.ts === card.ts);
    expect(JSON.stringify(post?.args.blocks)).toContain('answer_solved');
    expect(JSON.stringify(post?.args.blocks)).toContain('request_take');
    expect(JSON.stringify(post?.args.blocks)).toContain('request_human');
    expect(card.ephemeralTo).toBeUndefined();
    expect(cardText(card)).toContain('Reset your password');
    expect(cardText(card)).toContain('Open');
    expect(row).toMatchObject({
      channelId: HELP_CHANNEL_ID,
      rootTs: sent.message.ts,
      askerId: ASKER,
      status: 'open',
      takenBy: null,
      firstResponseAt: null,
      replyTs: card.ts,
      channelKind: 'public',
    });
    expect(row?.questionId).toBeTruthy();
    expect(row && row.slaDueAt.getTime() - row.createdAt.getTime()).toBe(30 * 60_000);
    // The bot's own reply came back as a message event (echo on): no request, no first response.
    await pause(300);
    const all = await w.database.db.select().from(requests).where(eq(requests.replyTs, card.ts));
    expect(all).toHaveLength(1);
    expect(await w.requestOf(card.ts)).toBeUndefined();
    expect((await w.requestOf(sent.message.ts))?.firstResponseAt).toBeNull();
  });

  it('a thread Slack will not take: the asker gets the answer privately, and the request stays open', async () => {
    // The request card's post and the WebClient's three retries answered 503.
    w.slack.failNext('chat.postMessage', { status: 503 }, 4);
    const sent = await w.slack.outbound.channelMessage({
      userId: ASKER,
      channelId: HELP_CHANNEL_ID,
      text: 'how do I reset my password when the link expired?',
    });
    const shown = await w.slack.waitForMessage(
      (message) => message.ephemeralTo === ASKER && /Reset your password/.test(cardText(message)),
      20_000,
    );
    expect(shown.channel).toBe(HELP_CHANNEL_ID);
    const threadPosts = w.slack
      .calls('chat.postMessage')
      .filter((call) => call.args.thread_ts === sent.message.ts);
    expect(threadPosts.map((call) => call.status)).toEqual([503, 503, 503, 503]);
    expect(await w.requestOf(sent.message.ts)).toMatchObject({ status: 'open', replyTs: null });
  }, 30_000);

  it('bots, edits, joins, other channels and replies outside a request make no request', async () => {
    const before = await w.database.db.select({ n: sql<number>`count(*)::int` }).from(requests);
    const botPost = w.slack.workspace.postMessage({
      channel: HELP_CHANNEL_ID,
      user: 'U0OTHERBOT',
      bot_id: 'B0OTHERBOT',
      text: 'Deploy finished',
    });
    await w.slack.outbound.messageEvent(botPost);
    const mine = w.slack.workspace.postMessage({
      channel: HELP_CHANNEL_ID,
      user: BOT_USER_ID,
      bot_id: BOT_ID,
      text: 'deskhand here',
    });
    await w.slack.outbound.messageEvent(mine);
    const person = w.slack.workspace.postMessage({ channel: HELP_CHANNEL_ID, user: ASKER, text: 'hello?' });
    await w.slack.outbound.editMessage({ channelId: HELP_CHANNEL_ID, ts: person.ts, text: 'hello, anyone?' });
    await w.slack.outbound.channelJoin({ userId: OUTSIDER, channelId: HELP_CHANNEL_ID });
    await w.slack.outbound.channelMessage({ userId: ASKER, channelId: GENERAL_CHANNEL_ID, text: 'lunch?' });
    const lonely = w.slack.workspace.postMessage({
      channel: HELP_CHANNEL_ID,
      user: OUTSIDER,
      text: 'old thread',
    });
    await w.slack.outbound.channelMessage({
      userId: OUTSIDER,
      channelId: HELP_CHANNEL_ID,
      text: 'how do I reset my password?',
      threadTs: lonely.ts,
    });
    await pause(500);
    const after = await w.database.db.select({ n: sql<number>`count(*)::int` }).from(requests);
    expect(after[0]?.n).toBe(before[0]?.n);
    expect(w.botRepliesIn(HELP_CHANNEL_ID, botPost.ts)).toHaveLength(0);
    expect(w.botRepliesIn(HELP_CHANNEL_ID, person.ts)).toHaveLength(0);
    expect(w.botRepliesIn(HELP_CHANNEL_ID, lonely.ts)).toHaveLength(0);
  });

  it('a message that mentions deskhand arrives twice (app_mention and message) and is answered once', async () => {
    const sent = await w.slack.outbound.channelMessage({
      userId: ASKER,
      channelId: HELP_CHANNEL_ID,
      text: `<@${BOT_USER_ID}> how do I reset my password?`,
    });
    expect(sent.mention?.status).toBe(200);
    await eventually(() => w.botRepliesIn(HELP_CHANNEL_ID, sent.message.ts).length > 0);
    await pause(600);
    expect(w.botRepliesIn(HELP_CHANNEL_ID, sent.message.ts)).toHaveLength(1);
    const row = await w.requestOf(sent.message.ts);
    expect(row?.status).toBe('open');
  });

  it('👀 from a responder takes it, ✅ resolves it, the asker writing again reopens it; the card follows', async () => {
    const { sent, card, row } = await w.ask('password reset link expired, what now?');
    const id = row.id;

    // Not a responder (SUPPORT_ADMINS only, no responders configured): nothing changes.
    await w.slack.outbound.reaction({
      userId: OUTSIDER,
      channelId: HELP_CHANNEL_ID,
      ts: sent.message.ts,
      name: 'eyes',
    });
    await pause(300);
    expect((await w.requestOf(sent.message.ts))?.status).toBe('open');

    await w.slack.outbound.reaction({
      userId: ADMINS[0],
      channelId: HELP_CHANNEL_ID,
      ts: sent.message.ts,
      name: 'eyes',
    });
    const taken = await eventually(async () => {
      const r = await w.requestOf(sent.message.ts);
      return r?.status === 'in_progress' ? r : undefined;
    });
    expect(taken.takenBy).toBe(ADMINS[0]);
    const redrawn = await w.slack.waitForMessage(
      (m) => m.ts === card.ts && cardText(m).includes(`taken by <@${ADMINS[0]}>`),
    );
    expect(cardText(redrawn)).not.toContain('request_take');
    expect(cardText(redrawn)).toContain('answer_solved');

    // Taking the 👀 back releases it; putting it back takes it again.
    await w.slack.outbound.reaction({
      userId: ADMINS[0],
      channelId: HELP_CHANNEL_ID,
      ts: sent.message.ts,
      name: 'eyes',
      removed: true,
    });
    await eventually(async () => (await w.requestOf(sent.message.ts))?.status === 'open');
    expect((await w.requestOf(sent.message.ts))?.takenBy).toBeNull();
    await w.slack.outbound.reaction({
      userId: ADMINS[0],
      channelId: HELP_CHANNEL_ID,
      ts: sent.message.ts,
      name: 'eyes',
    });
    await eventually(async () => (await w.requestOf(sent.message.ts))?.status === 'in_progress');

    // ✅ by anyone, on the bot's reply.
    await w.slack.outbound.reaction({
      userId: OUTSIDER,
      channelId: HELP_CHANNEL_ID,
      ts: card.ts,
      name: 'white_check_mark',
    });
    const resolved = await eventually(async () => {
      const r = await w.requestOf(sent.message.ts);
      return r?.status === 'resolved' ? r : undefined;
    });
    expect(resolved).toMatchObject({ resolvedBy: OUTSIDER, takenBy: ADMINS[0] });
    expect(resolved.resolvedAt).toBeInstanceOf(Date);
    await w.slack.waitForMessage((m) => m.ts === card.ts && cardText(m).includes('Resolved'));

    // Someone else's ✅ taken back changes nothing; the asker writing again reopens it.
    await w.slack.outbound.reaction({
      userId: ASKER,
      channelId: HELP_CHANNEL_ID,
      ts: sent.message.ts,
      name: 'white_check_mark',
    });
    await w.slack.outbound.reaction({
      userId: ASKER,
      channelId: HELP_CHANNEL_ID,
      ts: sent.message.ts,
      name: 'white_check_mark',
      removed: true,
    });
    await pause(300);
    expect((await w.requestOf(sent.message.ts))?.status).toBe('resolved');
    await w.slack.outbound.channelMessage({
      userId: ASKER,
      channelId: HELP_CHANNEL_ID,
      text: 'actually it broke again',
      threadTs: sent.message.ts,
    });
    await eventually(async () => (await w.requestOf(sent.message.ts))?.status === 'reopened');
    await w.slack.waitForMessage((m) => m.ts === card.ts && cardText(m).includes('Reopened'));

    const history = await eventually(async () => {
      const events = await w.eventsOf(id);
      return events.length >= 7 ? events : undefined;
    });
    expect(history.map((e) => [e.kind, e.actorId, e.via, e.toStatus ?? null])).toEqual([
      ['created', ASKER, 'message', 'open'],
      ['taken', ADMINS[0], 'reaction', 'in_progress'],
      ['released', ADMINS[0], 'reaction', 'open'],
      ['taken', ADMINS[0], 'reaction', 'in_progress'],
      ['resolved', OUTSIDER, 'reaction', 'resolved'],
      ['reopened', ASKER, 'message', 'reopened'],
      ['follow_up', ASKER, 'message', null],
    ]);
    for (const event of history) expect(event.at).toBeInstanceOf(Date);
    // The asker's own replies are never a first response.
    expect((await w.requestOf(sent.message.ts))?.firstResponseAt).toBeNull();
  });

  it('a responder replying in the thread is the first response and takes it; the asker’s question follow-up is answered', async () => {
    const { sent, row } = await w.ask('cannot reset my password on mobile');
    await w.slack.outbound.channelMessage({
      userId: ASKER,
      channelId: HELP_CHANNEL_ID,
      text: 'thanks!',
      threadTs: sent.message.ts,
    });
    await w.slack.outbound.channelMessage({
      userId: ASKER,
      channelId: HELP_CHANNEL_ID,
      text: 'and how do I change my password once I am signed in?',
      threadTs: sent.message.ts,
    });
    await eventually(() => w.botRepliesIn(HELP_CHANNEL_ID, sent.message.ts).length === 2);
    await pause(300);
    const replies = w.botRepliesIn(HELP_CHANNEL_ID, sent.message.ts);
    expect(replies).toHaveLength(2);
    expect(cardText(replies[1])).toContain('how do I change my password');
    expect((await w.requestOf(sent.message.ts))?.firstResponseAt).toBeNull();

    await w.slack.outbound.channelMessage({
      userId: ADMINS[1],
      channelId: HELP_CHANNEL_ID,
      text: 'On it: which phone are you on?',
      threadTs: sent.message.ts,
    });
    const answered = await eventually(async () => {
      const r = await w.requestOf(sent.message.ts);
      return r?.firstResponseAt && r.takenBy ? r : undefined;
    });
    expect(answered).toMatchObject({ firstResponseBy: ADMINS[1], status: 'in_progress', takenBy: ADMINS[1] });
    expect(
      answered.firstResponseAt && answered.firstResponseAt.getTime() - row.createdAt.getTime(),
    ).toBeGreaterThan(0);
    // A responder's reply is not answered by the bot.
    await pause(300);
    expect(w.botRepliesIn(HELP_CHANNEL_ID, sent.message.ts)).toHaveLength(2);
  });

  it('Take it clicked at once on two replicas gives one owner; the bot adds 👀; a late click is told who has it', async () => {
    const { card, row, sent } = await w.ask('how do I reset my password for SSO?');
    const [first, second] = await Promise.all(
      ADMINS.map((userId, index) => {
        const target = index === 0 ? w.a : w.b;
        w.slack.outbound.targetUrl = `${target.url}/slack/events`;
        return w.slack.outbound.blockAction({
          userId,
          message: { channel: HELP_CHANNEL_ID, ts: card.ts },
          action: { action_id: 'request_take', value: String(row.id) },
        });
      }),
    );
    w.slack.outbound.targetUrl = `${w.a.url}/slack/events`;
    expect([first?.status, second?.status]).toEqual([200, 200]);
    const owner = await eventually(async () => (await w.requestOf(sent.message.ts))?.takenBy ?? undefined);
    expect(ADMINS).toContain(owner);
    const loser = ADMINS.find((admin) => admin !== owner) as string;
    await noticeTo(w.slack, loser, `Already taken by <@${owner}>`);
    const takes = (await w.eventsOf(row.id)).filter((e) => e.kind === 'taken');
    expect(takes).toHaveLength(1);
    await eventually(() =>
      w.slack.workspace
        .message(HELP_CHANNEL_ID, sent.message.ts)
        ?.reactions?.some((r) => r.name === 'eyes' && r.users.includes(BOT_USER_ID)),
    );
    // The bot's own 👀 came back as an event: it changes nothing.
    await w.slack.outbound.reaction({
      userId: BOT_USER_ID,
      channelId: HELP_CHANNEL_ID,
      ts: card.ts,
      name: 'eyes',
    });
    await pause(200);
    expect((await w.eventsOf(row.id)).filter((e) => e.kind === 'taken')).toHaveLength(1);

    // Someone who is not a responder is refused.
    await w.slack.outbound.blockAction({
      userId: OUTSIDER,
      message: { channel: HELP_CHANNEL_ID, ts: card.ts },
      action: { action_id: 'request_take', value: String(row.id) },
    });
    await noticeTo(w.slack, OUTSIDER, 'responders');
  });

  it('Solved resolves for the asker only, and the card stays for the channel', async () => {
    const { card, row, sent } = await w.ask('how do I reset my password if the email never came?');
    const questionId = String(row.questionId);
    await w.slack.outbound.blockAction({
      userId: OUTSIDER,
      message: { channel: HELP_CHANNEL_ID, ts: card.ts },
      action: { action_id: 'answer_solved', value: questionId },
    });
    await noticeTo(w.slack, OUTSIDER, 'Only the person who asked');
    expect((await w.requestOf(sent.message.ts))?.status).toBe('open');
    await w.slack.outbound.blockAction({
      userId: ASKER,
      message: { channel: HELP_CHANNEL_ID, ts: card.ts },
      action: { action_id: 'answer_solved', value: questionId },
    });
    await eventually(async () => (await w.requestOf(sent.message.ts))?.status === 'resolved');
    const shown = await w.slack.waitForMessage((m) => m.ts === card.ts && cardText(m).includes('Resolved'));
    expect(shown.ephemeralTo).toBeUndefined();
    expect(cardText(shown)).toContain('Reset your password');
  });

  it('I need a human pings the responders in the thread; only the asker may ask', async () => {
    const { card, row, sent } = await w.ask('the reset password page shows an error');
    await w.slack.outbound.blockAction({
      userId: OUTSIDER,
      message: { channel: HELP_CHANNEL_ID, ts: card.ts },
      action: { action_id: 'request_human', value: String(row.id) },
    });
    await noticeTo(w.slack, OUTSIDER, 'Only the person who asked');
    await w.slack.outbound.blockAction({
      userId: ASKER,
      message: { channel: HELP_CHANNEL_ID, ts: card.ts },
      action: { action_id: 'request_human', value: String(row.id) },
    });
    const ping = await w.slack.waitForMessage(
      (m) => m.thread_ts === sent.message.ts && m.bot_id === BOT_ID && m.text.includes('would like a person'),
    );
    for (const admin of ADMINS) expect(ping.text).toContain(`<@${admin}>`);
    expect((await w.eventsOf(row.id)).some((e) => e.kind === 'human_requested' && e.actorId === ASKER)).toBe(
      true,
    );
    // The ping is deskhand's own echo: never a first response.
    await pause(300);
    expect((await w.requestOf(sent.message.ts))?.firstResponseAt).toBeNull();
  });

  it('Slack retries of a message and of a reaction, to either replica, change nothing twice', async () => {
    const sent = await w.slack.outbound.channelMessage({
      userId: ASKER,
      channelId: HELP_CHANNEL_ID,
      text: 'password reset says token invalid',
    });
    await w.slack.outbound.resend(
      { ...sent.request, url: `${w.b.url}/slack/events` },
      { retryNum: 1, retryReason: 'http_timeout' },
    );
    await w.slack.outbound.resend(sent.request, { retryNum: 2, retryReason: 'http_timeout' });
    await eventually(() => w.botRepliesIn(HELP_CHANNEL_ID, sent.message.ts).length > 0);
    await pause(800);
    expect(w.botRepliesIn(HELP_CHANNEL_ID, sent.message.ts)).toHaveLength(1);
    const rows = await w.database.db.select().from(requests).where(eq(requests.rootTs, sent.message.ts));
    expect(rows).toHaveLength(1);
    const id = rows[0]?.id as number;

    const eyes = await w.slack.outbound.reaction({
      userId: ADMINS[0],
      channelId: HELP_CHANNEL_ID,
      ts: sent.message.ts,
      name: 'eyes',
    });
    await eventually(async () => (await w.requestOf(sent.message.ts))?.status === 'in_progress');
    const removed = await w.slack.outbound.reaction({
      userId: ADMINS[0],
      channelId: HELP_CHANNEL_ID,
      ts: sent.message.ts,
      name: 'eyes',
      removed: true,
    });
    await eventually(async () => (await w.requestOf(sent.message.ts))?.status === 'open');
    // The 👀 delivery retried after its removal must not take the request again.
    if (!eyes || !removed) throw new Error('reactions were not delivered');
    await w.slack.outbound.resend({ ...eyes.request, url: `${w.b.url}/slack/events` }, { retryNum: 1 });
    await w.slack.outbound.resend(eyes.request, { retryNum: 2 });
    await pause(500);
    expect((await w.requestOf(sent.message.ts))?.status).toBe('open');
    expect((await w.eventsOf(id)).map((e) => e.kind)).toEqual(['created', 'taken', 'released']);
  });

  it('an unanswered request breaches its SLA and is alerted once across replicas, quoting it and linking the thread', async () => {
    const { sent, row } = await w.ask('how do I reset my password &amp; keep &lt;!channel&gt; quiet?');
    const alertsBefore = w.slack.messagesIn(SUPPORT_ALERTS_CHANNEL_ID).length;
    // Before the SLA: the scans find nothing and the alert channel stays quiet.
    await Promise.all(w.replicas.map((replica) => replica.slaWorker.runOnce()));
    expect(w.slack.messagesIn(SUPPORT_ALERTS_CHANNEL_ID)).toHaveLength(alertsBefore);

    // The request's SLA has run out (moved back in time rather than waiting 30 minutes).
    await w.database.db
      .update(requests)
      .set({ slaDueAt: new Date(Date.now() - 1000) })
      .where(eq(requests.id, row.id));
    // Every replica scans at the same moment (then again): each request is claimed by one of them.
    const first = await Promise.all(w.replicas.map((replica) => replica.slaWorker.runOnce()));
    const again = await Promise.all(w.replicas.map((replica) => replica.slaWorker.runOnce()));
    expect(again).toEqual(w.replicas.map(() => 0));
    const breachedNow = await w.database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(requests)
      .where(sql`${requests.alertTs} is not null`);
    expect(first.reduce((sum, n) => sum + n, 0)).toBe(breachedNow[0]?.n);
    const alerts = w.slack
      .messagesIn(SUPPORT_ALERTS_CHANNEL_ID)
      .slice(alertsBefore)
      .filter((m) => cardText(m).includes(`p${sent.message.ts.replace('.', '')}`));
    expect(alerts).toHaveLength(1);
    const alert = alerts[0] as EmulatedMessage;
    expect(cardText(alert)).toContain('First response overdue');
    expect(cardText(alert)).toContain('&amp; keep &lt;!channel&gt; quiet?');
    expect(cardText(alert)).not.toContain('<!channel>');
    expect(cardText(alert)).toContain(`/archives/${HELP_CHANNEL_ID}/p${sent.message.ts.replace('.', '')}`);
    expect(cardText(alert)).toContain('request_take');
    const breached = await w.requestOf(sent.message.ts);
    expect(breached?.breachedAt).toBeInstanceOf(Date);
    expect(breached?.alertTs).toBe(alert.ts);
    expect((await w.eventsOf(row.id)).filter((e) => e.kind === 'breached')).toHaveLength(1);

    // Take it on the alert: the request is owned, the alert and the thread card say so.
    await w.slack.outbound.blockAction({
      userId: ADMINS[1],
      message: { channel: SUPPORT_ALERTS_CHANNEL_ID, ts: alert.ts },
      action: { action_id: 'request_take', value: String(row.id) },
    });
    await w.slack.waitForMessage(
      (m) => m.ts === alert.ts && cardText(m).includes(`Taken by <@${ADMINS[1]}>`),
    );
    expect((await w.requestOf(sent.message.ts))?.takenBy).toBe(ADMINS[1]);
  });

  it('a private support channel’s breach alert does not quote the question', async () => {
    const { sent, row } = await w.ask('secret: how do I reset the password of the vault?', PRIVATE_HELP);
    expect(row.channelKind).toBe('private');
    await w.database.db
      .update(requests)
      .set({ slaDueAt: new Date(Date.now() - 1000) })
      .where(eq(requests.id, row.id));
    await w.a.slaWorker.runOnce();
    const alert = await w.slack.waitForMessage(
      (m) =>
        m.channel === SUPPORT_ALERTS_CHANNEL_ID &&
        cardText(m).includes(`p${sent.message.ts.replace('.', '')}`),
    );
    expect(cardText(alert)).not.toContain('vault');
    expect(cardText(alert)).toContain('private channel');
  });

  it('a failed alert is retried by the next scan, still once', async () => {
    const { sent, row } = await w.ask('reset password for a deactivated account?');
    await w.database.db
      .update(requests)
      .set({ slaDueAt: new Date(Date.now() - 1000) })
      .where(eq(requests.id, row.id));
    w.slack.failNext('chat.postMessage', { error: 'channel_not_found' });
    expect(await w.a.slaWorker.runOnce()).toBe(0);
    expect((await w.requestOf(sent.message.ts))?.breachedAt).toBeNull();
    expect(await w.b.slaWorker.runOnce()).toBe(1);
    expect(await w.a.slaWorker.runOnce()).toBe(0);
    expect((await w.eventsOf(row.id)).filter((e) => e.kind === 'breached')).toHaveLength(1);
  });
});

describe('support channels: Postgres unreachable', () => {
  const w = new SupportWorkspace();

  beforeAll(async () => {
    await w.start();
  }, 60_000);

  afterAll(async () => {
    await w.stop();
  });

  it('a new message is still answered in its thread, untracked, and tracked again once Postgres is back', async () => {
    if (!w.database.url) return; // PGlite runs in-process: there is no connection to cut.
    const target = new URL(w.database.url);
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const viaProxy = new URL(w.database.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const database = await openDatabase({ url: viaProxy.toString(), maxConnections: 2 });
    const replica = await w.startReplica(database);
    try {
      w.slack.outbound.targetUrl = `${replica.url}/slack/events`;
      await proxy.cut();
      const sent = await w.slack.outbound.channelMessage({
        userId: ASKER,
        channelId: HELP_CHANNEL_ID,
        text: 'I forgot my password, how do I reset it?',
      });
      const answer = await w.slack.waitForMessage(
        (m) => m.bot_id === BOT_ID && m.thread_ts === sent.message.ts && m.ts !== sent.message.ts,
        15_000,
      );
      expect(cardText(answer)).toContain('Reset your password');
      expect(cardText(answer)).not.toContain('request_take');
      await proxy.restore();
      await eventually(
        async () => ((await fetch(`${replica.url}/readyz`)).status === 200 ? true : undefined),
        20_000,
      );
      const { row } = await w.ask('how do I reset my password?');
      expect(row.status).toBe('open');
      expect(await w.requestOf(sent.message.ts)).toBeUndefined();
    } finally {
      w.slack.outbound.targetUrl = `${w.a.url}/slack/events`;
      await proxy.restore();
      await replica.stop();
      await database.close();
      await proxy.close();
    }
  }, 60_000);
});

describe('support channels: bad configuration', () => {
  it('an unknown channel in SUPPORT_CHANNELS is named at start', async () => {
    const slack = await startFakeSlack();
    const database = await createTestDatabase();
    try {
      const env = {
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_SIGNING_SECRET: slack.signingSecret,
        SLACK_API_URL: slack.apiUrl,
        PORT: '0',
        LOG_LEVEL: 'silent',
        SUPPORT_CHANNELS: `${HELP_CHANNEL_ID},C0NOSUCH`,
      };
      await expect(startDeskhand(loadEnv(env), { database, env, host: '127.0.0.1', logger })).rejects.toThrow(
        /SUPPORT_CHANNELS names C0NOSUCH/,
      );
    } finally {
      await slack.close();
      await database.drop();
    }
  });

  it('SUPPORT_CHANNELS and FIRST_RESPONSE_SLA_MINUTES are validated, naming the variable', () => {
    expect(() => loadEnv({ SUPPORT_CHANNELS: 'help' })).toThrow(/SUPPORT_CHANNELS must be comma-separated/);
    expect(() => loadEnv({ FIRST_RESPONSE_SLA_MINUTES: '0' })).toThrow(/FIRST_RESPONSE_SLA_MINUTES must be/);
    expect(() => loadEnv({ FIRST_RESPONSE_SLA_MINUTES: 'soon' })).toThrow(/FIRST_RESPONSE_SLA_MINUTES/);
    const config = loadEnv({ SUPPORT_CHANNELS: ' C0HELP, G0PRIV ,C0HELP' });
    expect(config.supportChannels).toEqual(['C0HELP', 'G0PRIV']);
    expect(config.firstResponseSlaMinutes).toBe(30);
  });
});
