import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDeskhand, type TestDeskhand } from '../harness/deskhand.js';
import { signSlackRequest } from '../harness/slack-driver.js';

const ASKER = 'U0ASKER';

describe('bad input gets a clear refusal and the bot stays up', () => {
  let t: TestDeskhand;
  beforeAll(async () => {
    t = await startTestDeskhand({ env: { MAX_BODY_BYTES: '4096', QUESTIONS_PER_MINUTE: '3' } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  async function questionCount(): Promise<number> {
    const rows = await t.database.rows<{ n: number }>(sql`select count(*)::int as n from questions`);
    return rows[0]?.n ?? 0;
  }

  async function postSigned(body: string, contentType: string) {
    const timestamp = Math.floor(Date.now() / 1000);
    return fetch(`${t.deskhand.url}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': signSlackRequest(t.slack.signingSecret, timestamp, body),
      },
      body,
    });
  }

  it('refuses a body over the limit with 413 before parsing it', async () => {
    const before = await questionCount();
    const response = await postSigned(
      `command=%2Fsupport&text=${'a'.repeat(8000)}&user_id=${ASKER}`,
      'application/x-www-form-urlencoded',
    );
    expect(response.status).toBe(413);
    expect(await questionCount()).toBe(before);
  });

  it('refuses a malformed payload with a valid signature with 400 and stores nothing', async () => {
    const before = await questionCount();
    const json = await postSigned('{"type": "event_callback", "event": ', 'application/json');
    expect(json.status).toBe(400);
    const form = await postSigned('payload=%7Bnot-json', 'application/x-www-form-urlencoded');
    expect(form.status).toBe(400);
    expect(await questionCount()).toBe(before);
    const health = await fetch(`${t.deskhand.url}/healthz`);
    expect(health.status).toBe(200);
  });

  it('acknowledges an unknown command and an unknown action instead of timing out', async () => {
    const command = await t.driver.slashCommand({ userId: ASKER, text: 'hello', command: '/unknown-thing' });
    expect(command.status).toBe(200);
    const posted = await t.slack.client().chat.postMessage({
      channel: 'C0GENERAL',
      text: 'an old card',
      blocks: [
        {
          type: 'actions',
          elements: [
            { type: 'button', action_id: 'retired_button', text: { type: 'plain_text', text: 'Old' } },
          ],
        },
      ],
    });
    const click = await t.driver.blockAction({
      userId: ASKER,
      message: { channel: 'C0GENERAL', ts: posted.ts as string },
      action: { action_id: 'retired_button' },
    });
    expect(click.status).toBe(200);
  });

  it('answers a burst past the per-user limit with a friendly note, not silence', async () => {
    const seen = new Set(t.slack.workspace.allMessages().map((message) => message.ts));
    for (let i = 0; i < 4; i++)
      await t.driver.slashCommand({ userId: 'U0AGENT2', text: `reset password burst ${i}` });
    const note = await t.slack.waitForMessage(
      (message) =>
        !seen.has(message.ts) &&
        message.ephemeralTo === 'U0AGENT2' &&
        /try again in \d+ s/.test(JSON.stringify(message.blocks ?? []) + message.text),
      10_000,
    );
    expect(note).toBeDefined();
  });

  it('cuts an overlong question with a visible note', async () => {
    const seen = new Set(t.slack.workspace.allMessages().map((message) => message.ts));
    await t.driver.slashCommand({ userId: ASKER, text: `reset password ${'very long words '.repeat(200)}` });
    const card = await t.slack.waitForMessage(
      (message) =>
        !seen.has(message.ts) &&
        message.ephemeralTo === ASKER &&
        /answer_create_ticket/.test(JSON.stringify(message.blocks ?? [])),
      10_000,
    );
    expect(JSON.stringify(card.blocks)).toMatch(/shortened/);
  });
});
