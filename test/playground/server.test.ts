import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../../src/config/env.js';
import { type RunningDeskhand, startDeskhand } from '../../src/main.js';
import { createLogger } from '../../src/observability/logger.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';

interface PageMessage {
  ts: string;
  channel: string;
  user?: string;
  text: string;
  blocks?: unknown[];
  ephemeralTo?: string;
}
interface PageState {
  me: string;
  channels: { id: string; name: string; kind: string }[];
  messages: PageMessage[];
}

describe('the playground with no Slack credentials', () => {
  let deskhand: RunningDeskhand;
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = loadEnv({
      PORT: '0',
      LOG_LEVEL: 'silent',
      DESKHAND_DATA_DIR: mkdtempSync(join(tmpdir(), 'deskhand-pg-')),
    });
    deskhand = await startDeskhand(config, {
      database,
      host: '127.0.0.1',
      logger: createLogger({ level: 'silent' }),
    });
  }, 60_000);

  afterAll(async () => {
    await deskhand?.stop();
    await database?.drop();
  });

  const get = (path: string) => fetch(`${deskhand.url}${path}`);
  const post = (path: string, body: unknown) =>
    fetch(`${deskhand.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const stateOf = async (user: string) =>
    (await (await get(`/playground/api/state?user=${user}`)).json()) as PageState;
  const cardText = (message: PageMessage) => JSON.stringify(message.blocks ?? message.text);

  async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = await probe();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error('not seen in time');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('uses the playground’s channels for alerts and the digest', () => {
    expect(deskhand.config.slack.kind).toBe('playground');
    expect(deskhand.config.alertChannel).toBe('C0SUPPORT');
    expect(deskhand.config.digest.channel).toBe('C0DIGEST');
    expect(deskhand.alerts).toBeDefined();
  });

  it('#help is a support channel: a newcomer’s message is answered in its thread, 👀 and ✅ from the responder move it', async () => {
    expect(deskhand.config.supportChannels).toEqual(['C0HELP']);
    expect((await stateOf('U0ASKER')).channels.map((channel) => channel.name)).toContain('help');
    const sent = await post('/playground/api/send', {
      user: 'U0ASKER',
      channel: 'C0HELP',
      text: 'How do I reset my password?',
    });
    expect(sent.status).toBe(200);
    const root = await eventually(async () =>
      (await stateOf('U0ASKER')).messages.find(
        (message) => message.channel === 'C0HELP' && message.text === 'How do I reset my password?',
      ),
    );
    const reply = await eventually(async () =>
      (await stateOf('U0AGENT1')).messages.find(
        (message) =>
          (message as { thread_ts?: string }).thread_ts === root.ts &&
          message.ts !== root.ts &&
          cardText(message).includes('request_take'),
      ),
    );
    expect(cardText(reply)).toContain('I need a human');
    expect(reply.ephemeralTo).toBeUndefined();

    const react = (user: string, ts: string, name: string) =>
      post('/playground/api/react', { user, channel: 'C0HELP', ts, name });
    expect((await react('U0AGENT1', root.ts, 'eyes')).status).toBe(200);
    await eventually(async () =>
      (await stateOf('U0AGENT1')).messages.find(
        (message) => message.ts === reply.ts && cardText(message).includes('taken by <@U0AGENT1>'),
      ),
    );
    expect(await (await react('U0AGENT1', reply.ts, 'white_check_mark')).json()).toEqual({
      status: 200,
      removed: false,
    });
    await eventually(async () =>
      (await stateOf('U0ASKER')).messages.find(
        (message) => message.ts === reply.ts && cardText(message).includes('Resolved by <@U0AGENT1>'),
      ),
    );
    // Reacting again takes the emoji back, as Slack's picker does.
    expect(await (await react('U0AGENT1', reply.ts, 'white_check_mark')).json()).toMatchObject({
      removed: true,
    });
    const back = await eventually(async () =>
      (await stateOf('U0AGENT1')).messages.find(
        (message) =>
          message.ts === reply.ts && cardText(message).includes('In progress · taken by <@U0AGENT1>'),
      ),
    );
    expect((back as { reactions?: unknown[] }).reactions).toBeUndefined();
    expect((await react('U0AGENT1', root.ts, 'not an emoji!')).status).toBe(400);
  });

  it('serves the page and its files on deskhand’s own port, and nothing it does not know', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('/playground/app.js');
    for (const file of ['app.js', 'blocks.js', 'styles.css']) {
      expect((await get(`/playground/${file}`)).status).toBe(200);
    }
    expect((await get('/playground/../src/main.ts')).status).toBe(404);
    expect((await get('/favicon.ico')).status).toBe(404);
  });

  it('serves the Web API deskhand’s Bolt app calls, under the same port', async () => {
    const answer = await fetch(`${deskhand.url}/slack-emulator/api/auth.test`, {
      method: 'POST',
      headers: { authorization: 'Bearer xoxb-playground' },
    });
    expect(await answer.json()).toMatchObject({ ok: true, user_id: 'U0DESKBOT' });
  });

  it('answers /support with an ephemeral card only the asker sees', async () => {
    const sent = await post('/playground/api/send', {
      user: 'U0ASKER',
      channel: 'C0GENERAL',
      text: '/support How do I reset my password?',
    });
    expect(await sent.json()).toEqual({ status: 200 });
    const card = await eventually(async () =>
      (await stateOf('U0ASKER')).messages.find(
        (message) => message.ephemeralTo === 'U0ASKER' && cardText(message).includes('answer_solved'),
      ),
    );
    expect(cardText(card)).toContain('Reset your password');
    const agent = await stateOf('U0AGENT1');
    expect(agent.messages.some((message) => message.ts === card.ts)).toBe(false);
  });

  it('sends a mention to deskhand escaped as Slack would, and deskhand answers in its thread', async () => {
    await post('/playground/api/send', {
      user: 'U0ASKER',
      channel: 'C0GENERAL',
      text: '@deskhand how do I export my data <b>now</b>?',
    });
    const state = await stateOf('U0ASKER');
    const mention = state.messages.find((message) => message.text.includes('export my data'));
    expect(mention?.text).toBe('<@U0DESKBOT> how do I export my data &lt;b&gt;now&lt;/b&gt;?');
    await eventually(async () =>
      (await stateOf('U0ASKER')).messages.find(
        (message) =>
          (message as PageMessage & { thread_ts?: string }).thread_ts === mention?.ts &&
          message.user === 'U0DESKBOT',
      ),
    );
  });

  it('refuses people the workspace does not have, and malformed requests', async () => {
    expect((await get('/playground/api/state?user=U0NOBODY')).status).toBe(400);
    expect((await get('/playground/api/state?user=U0DESKBOT')).status).toBe(400);
    expect(
      (await post('/playground/api/send', { user: 'U0NOBODY', channel: 'C0GENERAL', text: 'hi' })).status,
    ).toBe(400);
    expect((await post('/playground/api/send', '{not json')).status).toBe(400);
    expect((await post('/playground/api/send', { user: 'U0ASKER', channel: 'C0GENERAL' })).status).toBe(400);
    const missingView = await post('/playground/api/submit-view', {
      user: 'U0ASKER',
      viewId: 'V0MISSING',
      values: {},
    });
    expect(missingView.status).toBe(422);
  });

  it('streams a change to the page as soon as it happens', async () => {
    const controller = new AbortController();
    const stream = await fetch(`${deskhand.url}/playground/events`, { signal: controller.signal });
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    await post('/playground/api/send', { user: 'U0AGENT1', channel: 'C0GENERAL', text: 'hello team' });
    let received = '';
    while (!received.includes('data:')) {
      const { value, done } = await reader.read();
      if (done) break;
      received += decoder.decode(value);
    }
    controller.abort();
    expect(received).toContain('data: {"type":"message"}');
  });
});
