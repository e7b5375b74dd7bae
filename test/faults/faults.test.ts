/**
 * The fault-injection suite: deskhand runs as a real process (or two), with its real kb MCP server
 * over stdio, a knowledge source over streamable HTTP that the test makes hang, die or rate-limit,
 * a fake Slack, and Postgres behind a proxy the test can cut. Every fault is injected while
 * questions flow, and each test counts what was sent, acknowledged, answered and stored.
 * The rows it records become RELIABILITY.md (`npm run reliability`).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatedMessage } from '../../src/playground/emulator/index.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';
import { type FakeSlack, startFakeSlack } from '../harness/fake-slack.js';
import { slackDriver } from '../harness/slack-driver.js';
import { startTcpProxy, type TcpProxy } from '../harness/tcp-proxy.js';
import { FlakySource } from './flaky-source.js';
import { childPids, type DeskhandProcess, spawnDeskhand, waitFor } from './processes.js';
import type { FaultRow } from './render-reliability.js';

const ASKER = 'U0ASKER';
const ALERTS_CHANNEL = 'C0SUPPORT';
const BIN = fileURLToPath(new URL('../../bin/deskhand.js', import.meta.url));
const SECRETS = {
  NOTION_TOKEN: 'secret_notion_Zq81xPTk',
  HELPSCOUT_APP_SECRET: 'hs-secret-4Fq9LmW2',
  HELPSCOUT_WEBHOOK_SECRET: 'hook-secret-77Wd',
};

const rows: FaultRow[] = [];
const canRun = Boolean(process.env.TEST_DATABASE_URL);

function cardText(message: EmulatedMessage): string {
  return JSON.stringify(message.blocks ?? []) + message.text;
}

describe.skipIf(!canRun)('faults injected into running processes (needs TEST_DATABASE_URL)', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let slack: FakeSlack;
  const flaky = new FlakySource();
  let servicesFile: string;
  const running: DeskhandProcess[] = [];
  let allLogs: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const target = new URL(database.url as string);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    slack = await startFakeSlack();
    await flaky.start();
    const dir = mkdtempSync(join(tmpdir(), 'deskhand-faults-'));
    servicesFile = join(dir, 'mcp_services.yml');
    writeFileSync(
      servicesFile,
      [
        'services:',
        '  kb:',
        '    transport: stdio',
        `    command: ${JSON.stringify(process.execPath)}`,
        `    args: [${JSON.stringify(BIN)}, mcp, kb]`,
        `    env: { KNOWLEDGE_DIR: ${JSON.stringify(resolve('knowledge'))}, LOG_LEVEL: warn }`,
        '    timeout_ms: 2000',
        '    retry_attempts: 1',
        '  flaky:',
        '    transport: http',
        `    url: ${flaky.url}`,
        '    timeout_ms: 700',
        '    retry_attempts: 2',
        '    label: Flaky docs',
        '',
      ].join('\n'),
    );
  }, 60_000);

  afterEach(async () => {
    for (const process of running.splice(0)) {
      await process.stop('SIGKILL');
      allLogs = allLogs.concat(process.logs);
    }
    flaky.mode = { kind: 'ok' };
  });

  afterAll(async () => {
    await flaky.kill();
    await slack?.close();
    await proxy?.close();
    await database?.drop();
    mkdirSync('test-results', { recursive: true });
    writeFileSync(
      'test-results/faults.json',
      `${JSON.stringify({ at: new Date().toISOString(), rows }, null, 2)}\n`,
    );
  });

  function databaseUrlViaProxy(): string {
    const url = new URL(database.url as string);
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    return url.toString();
  }

  async function start(
    extraEnv: Record<string, string> = {},
    options: { until?: 'readyz' | 'healthz' } = {},
  ): Promise<DeskhandProcess> {
    const deskhand = await spawnDeskhand(
      {
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_SIGNING_SECRET: slack.signingSecret,
        SLACK_API_URL: slack.apiUrl,
        DATABASE_URL: databaseUrlViaProxy(),
        MCP_CONFIG: servicesFile,
        LOOKUP_DEADLINE_MS: '2500',
        QUESTIONS_PER_MINUTE: '1000',
        SHUTDOWN_GRACE_MS: '8000',
        ...SECRETS,
        ...extraEnv,
      },
      options,
    );
    running.push(deskhand);
    return deskhand;
  }

  /** Sends a question and returns the HTTP answer; the card is awaited separately. */
  async function send(deskhand: DeskhandProcess, text: string, channelId?: string) {
    const driver = slackDriver(slack, `${deskhand.url}/slack/events`);
    return driver.slashCommand({ userId: ASKER, text, ...(channelId ? { channelId } : {}) });
  }

  async function cardFor(tag: string, timeoutMs = 15_000): Promise<EmulatedMessage> {
    return slack.waitForMessage(
      (message) =>
        message.ephemeralTo === ASKER &&
        cardText(message).includes(tag) &&
        /answer_create_ticket/.test(cardText(message)),
      timeoutMs,
    );
  }

  async function storedCount(tag: string): Promise<number> {
    const result = await database.rows<{ n: number }>(
      sql`select count(*)::int as n from questions where text like ${`%${tag}%`}`,
    );
    return result[0]?.n ?? 0;
  }

  async function account(
    row: Omit<FaultRow, 'lost' | 'storedRows' | 'answered' | 'acknowledged'>,
    tag: string,
    acks: number[],
  ): Promise<FaultRow> {
    const cards = new Set(
      slack.workspace
        .allMessages()
        .filter(
          (message) =>
            message.ephemeralTo === ASKER &&
            cardText(message).includes(tag) &&
            /answer_create_ticket/.test(cardText(message)),
        )
        .map((message) => message.ts),
    );
    const storedRows = await waitFor(
      'rows to be stored',
      async () => {
        const n = await storedCount(tag);
        return n >= row.sent ? n : undefined;
      },
      20_000,
    ).catch(() => storedCount(tag));
    const complete: FaultRow = {
      ...row,
      acknowledged: acks.filter((status) => status === 200).length,
      answered: cards.size,
      storedRows,
      lost: row.sent - Math.min(cards.size, storedRows),
    };
    rows.push(complete);
    return complete;
  }

  it('an MCP source that hangs: the answer does not wait past the deadline and names it; the next question uses it again', async () => {
    const deskhand = await start();
    flaky.mode = { kind: 'hang' };
    const tag = '[hang]';
    const acks: number[] = [];
    for (let i = 0; i < 4; i++)
      acks.push((await send(deskhand, `How do I reset my password? ${tag} ${i}`)).status);
    const card = await cardFor(`${tag} 3`);
    expect(cardText(card)).toMatch(/Flaky docs/);
    expect(cardText(card)).toMatch(/timed out|unavailable|failed/i);
    expect(cardText(card)).toContain('Reset your password');
    flaky.mode = { kind: 'ok' };
    const recovered = await waitFor(
      'the source to answer again',
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        const n = Date.now();
        acks.push((await send(deskhand, `password reset ${tag} again ${n}`)).status);
        const next = await cardFor(`${tag} again ${n}`);
        return /Flaky docs: password reset/.test(cardText(next)) ? next : undefined;
      },
      30_000,
    );
    expect(cardText(recovered)).toContain('Flaky docs');
    const row = await account(
      {
        fault: 'MCP server hangs',
        injected: 'the HTTP knowledge source never answers search_pages',
        userSees: 'the card within the deadline, naming the source as timed out',
        stored: 'question, answer, a lookups row with status timeout',
        sent: acks.length,
      },
      tag,
      acks,
    );
    expect(row.lost).toBe(0);
    expect(row.acknowledged).toBe(row.sent);
  }, 90_000);

  it('an MCP server that dies mid-call: the card names it, the layer reconnects, the next question uses it again', async () => {
    const deskhand = await start();
    flaky.mode = { kind: 'delay', ms: 400 };
    const tag = '[dies]';
    const acks: number[] = [];
    acks.push((await send(deskhand, `invoice download ${tag} 0`)).status);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await flaky.kill();
    const card = await cardFor(`${tag} 0`);
    expect(cardText(card)).toMatch(/Flaky docs/);
    acks.push((await send(deskhand, `invoice download ${tag} 1`)).status);
    const whileDown = await cardFor(`${tag} 1`);
    expect(cardText(whileDown)).toMatch(/Flaky docs (timed out|unavailable|failed)/i);
    flaky.mode = { kind: 'ok' };
    await flaky.start();
    const recovered = await waitFor(
      'deskhand to reconnect to the restarted server',
      async () => {
        const n = Date.now();
        acks.push((await send(deskhand, `invoice download ${tag} back ${n}`)).status);
        const next = await cardFor(`${tag} back ${n}`);
        return /Flaky docs: invoice/.test(cardText(next)) ? next : undefined;
      },
      40_000,
    );
    expect(recovered).toBeDefined();
    const row = await account(
      {
        fault: 'MCP server dies mid-call',
        injected: 'the HTTP knowledge source is stopped during a call, restarted later on the same port',
        userSees: 'the card, naming the source as unavailable until it is back',
        stored: 'every question and lookup',
        sent: acks.length,
      },
      tag,
      acks,
    );
    expect(row.lost).toBe(0);
  }, 90_000);

  it('the stdio kb server is killed: deskhand respawns it and answers from it again', async () => {
    const deskhand = await start();
    const tag = '[kb-killed]';
    const acks: number[] = [];
    const [kbPid] = await waitFor('the kb child process', () => {
      const pids = childPids(deskhand.pid, 'mcp kb');
      return pids.length ? pids : undefined;
    });
    process.kill(kbPid as number, 'SIGKILL');
    acks.push((await send(deskhand, `two factor authentication ${tag} 0`)).status);
    await cardFor(`${tag} 0`);
    const recovered = await waitFor(
      'the kb server to be respawned and answer',
      async () => {
        const n = Date.now();
        acks.push((await send(deskhand, `two factor authentication ${tag} back ${n}`)).status);
        const next = await cardFor(`${tag} back ${n}`);
        return /two-factor-authentication/.test(cardText(next)) ? next : undefined;
      },
      40_000,
    );
    expect(recovered).toBeDefined();
    expect(childPids(deskhand.pid, 'mcp kb')).not.toContain(kbPid);
    const row = await account(
      {
        fault: 'stdio MCP server killed',
        injected: 'SIGKILL to the kb server child process',
        userSees: 'the card (the kb named as unavailable while it restarts)',
        stored: 'every question and lookup',
        sent: acks.length,
      },
      tag,
      acks,
    );
    expect(row.lost).toBe(0);
  });

  it('a source that rate-limits: retried as it asks, then answered', async () => {
    const deskhand = await start();
    const tag = '[ratelimit]';
    flaky.mode = { kind: 'rate_limited', times: 2 };
    const acks = [(await send(deskhand, `webhooks signature ${tag}`)).status];
    const card = await cardFor(tag);
    expect(cardText(card)).toContain('Flaky docs: webhooks');
    const row = await account(
      {
        fault: 'source rate-limits (429)',
        injected: 'two retryable rate-limit answers, then success',
        userSees: 'the card with that source answering',
        stored: 'question, lookups, tool_calls with attempts',
        sent: acks.length,
      },
      tag,
      acks,
    );
    expect(row.lost).toBe(0);
  });

  it('Slack rate-limits and refuses deskhand: the answer still arrives', async () => {
    const deskhand = await start();
    const tag = '[slack-429]';
    slack.failNext('conversations.info', { status: 429, retryAfterSeconds: 1 }, 1);
    const acks = [(await send(deskhand, `export data ${tag} 0`)).status];
    await cardFor(`${tag} 0`);
    // Another channel, whose kind deskhand has not asked yet (the first one's is kept): it must ask,
    // and Slack refuses. Exactly one fault, so that none is left over for the tests after this one.
    slack.workspace.addChannel({
      id: 'C0SLACK429',
      name: 'slack-429',
      kind: 'public',
      created: Math.floor(Date.now() / 1000),
    });
    slack.failNext('conversations.info', { error: 'invalid_auth' }, 1);
    acks.push((await send(deskhand, `export data ${tag} 1`, 'C0SLACK429')).status);
    await cardFor(`${tag} 1`);
    const asked = slack.calls('conversations.info').filter((call) => call.args.channel === 'C0SLACK429');
    expect(asked.map((call) => call.response.error)).toEqual(['invalid_auth']);
    const row = await account(
      {
        fault: 'Slack Web API 429 / invalid_auth',
        injected: 'conversations.info answers 429 with Retry-After, then invalid_auth',
        userSees: 'the card (the channel is treated as private when Slack will not say)',
        stored: 'every question',
        sent: acks.length,
      },
      tag,
      acks,
    );
    expect(row.lost).toBe(0);
  });

  it("Slack's response_url fails for a moment: the answer card still arrives, once", async () => {
    const deskhand = await start();
    const tag = '[respond-5xx]';
    // The card replaces the ack through the command's response_url; its first posts meet a 503, a
    // dropped connection and a 429 (Bolt's respond() alone would have lost the card at the first).
    slack.failNextResponse({ status: 503 });
    slack.failNextResponse('drop');
    slack.failNextResponse({ status: 429, retryAfterSeconds: 1 });
    const acks = [(await send(deskhand, `rotate api key ${tag}`)).status];
    await cardFor(tag);
    const posts = slack.calls('response_url').filter((call) => String(call.args.raw ?? '').includes(tag));
    expect(posts.map((call) => call.status)).toEqual([503, 0, 429]);
    const metrics = await (await fetch(`${deskhand.url}/metrics`)).text();
    expect(metrics).toMatch(/^deskhand_slack_cards_shown_total\{where="in_place"\} 1$/m);
    const row = await account(
      {
        fault: 'Slack response_url 503 / dropped / 429',
        injected: 'the answer card post answered 503, dropped, then 429 with Retry-After',
        userSees: 'the card, sent again until Slack took it',
        stored: 'the question',
        sent: acks.length,
      },
      tag,
      acks,
    );
    expect(row).toMatchObject({ answered: 1, lost: 0 });
  });

  it('Slack will not take the card at the response_url at all: the asker sees it privately in the channel', async () => {
    const deskhand = await start();
    const tag = '[respond-down]';
    // The first post and all four retries answered 503 (about 7.5 s): then chat.postEphemeral.
    slack.failNextResponse({ status: 503 }, 5);
    const acks = [(await send(deskhand, `rotate api key ${tag}`)).status];
    const card = await cardFor(tag, 25_000);
    const posts = slack.calls('response_url').filter((call) => String(call.args.raw ?? '').includes(tag));
    expect(posts.map((call) => call.status)).toEqual([503, 503, 503, 503, 503]);
    expect(slack.calls('chat.postEphemeral').some((call) => JSON.stringify(call.args).includes(tag))).toBe(
      true,
    );
    expect(card.ephemeralTo).toBe(ASKER);
    // Operators see it on /metrics: a card that landed elsewhere than in place.
    const metrics = await (await fetch(`${deskhand.url}/metrics`)).text();
    expect(metrics).toMatch(/^deskhand_slack_cards_shown_total\{where="ephemeral"\} 1$/m);
    const row = await account(
      {
        fault: 'Slack response_url down',
        injected: 'every post of the answer card to the response_url answered 503',
        userSees: 'the card, privately in the channel (chat.postEphemeral), else by DM',
        stored: 'the question',
        sent: acks.length,
      },
      tag,
      acks,
    );
    expect(row).toMatchObject({ answered: 1, lost: 0 });
  }, 40_000);

  it('Postgres unreachable: questions are still answered, /readyz says 503, rows are written once it is back', async () => {
    const deskhand = await start();
    const tag = '[db-down]';
    await proxy.cut();
    await waitFor('readyz to report the database', async () =>
      (await fetch(`${deskhand.url}/readyz`)).status === 503 ? true : undefined,
    );
    const readiness = (await (await fetch(`${deskhand.url}/readyz`)).json()) as {
      failing: Record<string, string>;
    };
    expect(readiness.failing.database).toBeDefined();
    const acks: number[] = [];
    try {
      for (let i = 0; i < 3; i++)
        acks.push((await send(deskhand, `cancel my subscription ${tag} ${i}`)).status);
      // Generous: an urgent card waits for its ticket's insert to fail while Postgres is away.
      for (let i = 0; i < 3; i++) await cardFor(`${tag} ${i}`, 45_000);
      expect(await storedCount(tag)).toBe(0);
    } finally {
      // A failure above must not leave Postgres cut for the faults after this one.
      await proxy.restore();
    }
    await waitFor('readyz 200', async () =>
      (await fetch(`${deskhand.url}/readyz`)).status === 200 ? true : undefined,
    );
    const row = await account(
      {
        fault: 'Postgres unreachable',
        injected: 'the proxy in front of Postgres refuses connections, then lets them through again',
        userSees:
          'the card as usual, saying the automatic ticket will be filed once the database is back; /readyz 503 meanwhile',
        stored:
          'every row once Postgres is back, none twice, and each unanswered question’s ticket (kept on disk meanwhile)',
        sent: acks.length,
      },
      tag,
      acks,
    );
    expect(row.storedRows).toBe(3);
    expect(row.lost).toBe(0);
    // The knowledge does not answer these (the tag's words are in no article): each one's automatic
    // ticket, which could not be stored during the outage, was kept and is stored now, once.
    const counts = async () => {
      const [n] = await database.rows<{ unanswered: number; tickets: number }>(sql`
        select count(*) filter (where q.found = false or q.urgency = 'high')::int as unanswered,
          (select count(*)::int from tickets t join questions tq on tq.id = t.question_id
            where tq.text like ${`%${tag}%`}) as tickets
        from questions q where q.text like ${`%${tag}%`}`);
      return n;
    };
    const settled = await waitFor('the kept tickets to be stored', async () => {
      const n = await counts();
      return n && n.unanswered > 0 && n.tickets === n.unanswered ? n : undefined;
    }).catch(counts);
    expect(settled?.unanswered).toBeGreaterThan(0);
    expect(settled?.tickets).toBe(settled?.unanswered);
    // And each asker was told so on the card.
    const told = slack.workspace
      .allMessages()
      .filter(
        (message) =>
          message.ephemeralTo === ASKER &&
          cardText(message).includes(tag) &&
          cardText(message).includes('will be filed as soon as deskhand can reach its database'),
      );
    expect(told).toHaveLength(settled?.unanswered ?? -1);
  }, 90_000);

  it('Postgres down, then deskhand killed: what was acknowledged is spooled, replayed after the restart, stored once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'deskhand-spool-fault-'));
    const env = { DESKHAND_DATA_DIR: dataDir, ALERT_CHANNEL: ALERTS_CHANNEL };
    const first = await start(env);
    const tag = '[crash-spool]';
    await proxy.cut();
    await waitFor('readyz to report the database', async () =>
      (await fetch(`${first.url}/readyz`)).status === 503 ? true : undefined,
    );
    const acks: number[] = [];
    for (let i = 0; i < 4; i++) acks.push((await send(first, `export my data ${tag} ${i}`)).status);
    acks.push((await send(first, `--urgent checkout is failing for every customer ${tag} 4`)).status);
    let alert: EmulatedMessage;
    try {
      for (let i = 0; i < 5; i++) await cardFor(`${tag} ${i}`, 60_000);
      // The urgent case reaches the support channel while Postgres is still away.
      alert = await slack.waitForMessage(
        (message) => message.channel === ALERTS_CHANNEL && cardText(message).includes(`${tag} 4`),
        30_000,
      );
      expect(cardText(alert)).toMatch(/alert_take/);
      expect(await storedCount(tag)).toBe(0);
    } catch (error) {
      await proxy.restore();
      throw error;
    }

    await first.stop('SIGKILL');
    let second: DeskhandProcess;
    try {
      second = await start(env, { until: 'healthz' });
      expect((await fetch(`${second.url}/readyz`)).status).toBe(503);
    } finally {
      await proxy.restore();
    }
    await waitFor('readyz 200 after the restart', async () =>
      (await fetch(`${second.url}/readyz`)).status === 200 ? true : undefined,
    );
    const row = await account(
      {
        fault: 'Postgres down, then deskhand killed',
        injected:
          'the proxy refuses Postgres connections, questions are answered, SIGKILL, a new deskhand starts while Postgres is still away, then Postgres comes back',
        userSees: 'the cards as usual and the urgent alert in the support channel during the outage',
        stored: 'every acknowledged question, answer and alert once, replayed from the disk spool',
        sent: acks.length,
      },
      tag,
      acks,
    );
    expect(row.storedRows).toBe(5);
    expect(row.lost).toBe(0);
    // Answers and the alert come after the questions in the spool: wait for the replay to finish.
    const answered = await waitFor('the replayed answers', async () => {
      const [counted] = await database.rows<{ n: number }>(
        sql`select count(*)::int as n from questions where text like ${`%${tag}%`} and status = 'answered'`,
      );
      return counted?.n === 5 ? counted.n : undefined;
    });
    expect(answered).toBe(5);
    const alerts = await waitFor('the replayed alert', async () => {
      const found = await database.rows<{ n: number; ts: string | null }>(
        sql`select count(*)::int as n, max(a.message_ts) as ts from alerts a join questions q on q.id = a.question_id where q.text like ${`%${tag}%`}`,
      );
      return found[0]?.n ? found[0] : undefined;
    });
    expect(alerts).toEqual({ n: 1, ts: alert.ts });
  }, 180_000);

  it('a refused 2 MB request on a kept-alive connection: the next question on the same socket is answered', async () => {
    const deskhand = await start();
    const tag = '[keep-alive]';
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    // Every request, the refused one and the next, on one kept-alive socket, as a proxy reuses it.
    const post = (body: string, headers: Record<string, string>) =>
      new Promise<{ status: number; body: string; headers: Record<string, string> }>((resolve, reject) => {
        const req = request(
          `${deskhand.url}/slack/events`,
          {
            method: 'POST',
            agent,
            headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              text += chunk;
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: {} }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    // The driver is the fake Slack's one outbound side: its transport is put back after this test.
    const driver = slackDriver(slack, `${deskhand.url}/slack/events`);
    driver.transport = ({ request: signed }) => post(signed.body, signed.headers);
    try {
      const refused = await driver.slashCommand({ userId: ASKER, text: 'a'.repeat(2 * 1024 * 1024) });
      expect(refused.status).toBe(413);
      const acks = [
        (await driver.slashCommand({ userId: ASKER, text: `How do I export my data? ${tag}` })).status,
      ];
      await cardFor(tag, 60_000);
      const row = await account(
        {
          fault: 'Refused body on a kept-alive connection',
          injected:
            'a 2 MB slash command (413), then a normal one on the same keep-alive socket, as a proxy reuses it',
          userSees: 'the second question answered as usual',
          stored: 'the second question, nothing of the refused one',
          sent: acks.length,
        },
        tag,
        acks,
      );
      expect(row.lost).toBe(0);
    } finally {
      driver.transport = undefined;
      agent.destroy();
    }
  }, 90_000);

  it('SIGTERM during an answer: the answer in flight is finished, then the process exits 0', async () => {
    const deskhand = await start();
    const tag = '[sigterm]';
    flaky.mode = { kind: 'delay', ms: 600 };
    const acks = [(await send(deskhand, `single sign-on okta ${tag}`)).status];
    await new Promise((resolve) => setTimeout(resolve, 100));
    const exitCode = await deskhand.stop('SIGTERM');
    expect(exitCode).toBe(0);
    const card = await cardFor(tag, 5_000);
    expect(cardText(card)).toContain('Flaky docs: single sign-on');
    expect(childPids(deskhand.pid, 'mcp kb')).toEqual([]);
    const row = await account(
      {
        fault: 'SIGTERM (deploy)',
        injected: 'SIGTERM while a lookup is in flight',
        userSees: 'the answer card, then the process exits 0',
        stored: 'the question and its answer',
        sent: acks.length,
      },
      tag,
      acks,
    );
    expect(row.lost).toBe(0);
  });

  it('a retried delivery reaching another replica is answered once', async () => {
    const first = await start();
    const second = await start();
    const tag = '[replicas]';
    const driver = slackDriver(slack, `${first.url}/slack/events`);
    const delivery = await driver.slashCommand({ userId: ASKER, text: `data retention ${tag}` });
    const retried = await driver.resend(
      { ...delivery.request, url: `${second.url}/slack/events` },
      { retryNum: 1, retryReason: 'http_timeout' },
    );
    expect(retried.status).toBe(200);
    await cardFor(tag);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const cards = slack.workspace
      .allMessages()
      .filter((message) => cardText(message).includes(tag) && /answer_create_ticket/.test(cardText(message)));
    expect(cards).toHaveLength(1);
    const row = await account(
      {
        fault: 'Slack retry to another replica',
        injected: 'the same signed request resent with X-Slack-Retry-Num to a second deskhand',
        userSees: 'one answer',
        stored: 'one question row',
        sent: 1,
      },
      tag,
      [delivery.status],
    );
    expect(row.storedRows).toBe(1);
    expect(row.lost).toBe(0);
  });

  it('writes no secret to any log line, whatever happened above', () => {
    expect(allLogs.length).toBeGreaterThan(0);
    const secrets = [...Object.values(SECRETS), slack.signingSecret, slack.botToken];
    const leaks = allLogs.filter((line) => secrets.some((secret) => line.includes(secret)));
    expect(leaks).toEqual([]);
  });
});
